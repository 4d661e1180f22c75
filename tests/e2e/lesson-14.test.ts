// Lesson 14 of the real course, done the way a learner does it: open the lesson, start the lab, press
// the Run buttons of the text, write the Apache site in the editor (whose save runs `apachectl -t`:
// a misspelled directive is marked on its line, and the mark goes once it is fixed), see HTTP/2 stay
// off under prefork, start php-fpm, switch to mpm_event, and see every step's Check pass.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SCREENSHOT_DIR } from '../support/browser';
import { usePlatformInBrowser } from '../support/e2e';
import { terminalText, typeInTerminal } from '../support/terminal-page';

const platform = usePlatformInBrowser('e2e-lesson-14', {
  env: { KEIKO_POOL_SIZE: '0' },
  viewport: { width: 1440, height: 900 },
});

const SITE = [
  '<VirtualHost *:443>',
  '    ServerName example.test',
  '    DocumentRoot /var/www/html',
  '    Protocols h2 http/1.1',
  '    SSLEngine on',
  '    SSLCertificateFile /etc/apache2/ssl/cert.pem',
  '    SSLCertificateKeyFile /etc/apache2/ssl/key.pem',
  '</VirtualHost>',
  '',
].join('\n');

/** Presses the Run button of a command in the lesson's text, then waits for the shell's next prompt. */
async function run(command: string): Promise<void> {
  const before = await terminalText(platform.page);
  await platform.page
    .getByRole('button', { name: `Run in the terminal: ${command}`, exact: true })
    .first()
    .click();
  await expect
    .poll(
      async () => {
        const text = await terminalText(platform.page);
        const last = text.trimEnd().split('\n').pop() ?? '';
        // Only the rows on screen are in the page (a long output scrolls the command away): a
        // changed screen whose last line is a bare prompt means the command finished.
        return text !== before && /\$$/.test(last);
      },
      { timeout: 30_000 },
    )
    .toBe(true);
}

async function check(stepId: string): Promise<void> {
  const step = platform.page.getByTestId(`step-${stepId}`);
  await step.getByRole('button', { name: 'Check' }).click();
  await expect
    .poll(async () => `${await step.getAttribute('data-passed')}\n${await step.innerText()}`, {
      timeout: 60_000,
    })
    .toMatch(/^true\n/);
}

const editor = () => platform.page.getByTestId('file-editor');
const configTest = () => platform.page.getByTestId('editor-config-test');

/** Replaces the editor's whole text and saves with Ctrl+S, as a learner would. */
async function writeAndSave(text: string): Promise<void> {
  await editor().locator('.cm-content').click();
  await platform.page.keyboard.press('Control+A');
  await platform.page.keyboard.insertText(text);
  await platform.page.keyboard.press('Control+S');
  await expect
    .poll(() => platform.page.getByTestId('editor-status').innerText(), { timeout: 15_000 })
    .toBe('Saved');
}

describe('lesson 14 in the browser', () => {
  it('opens the lesson and starts its lab', async () => {
    await platform.page.goto(`${platform.server.url}/courses/bottle/14-apache-http2-php-fpm`);
    expect(await platform.page.locator('h1').innerText()).toContain('Apache 2.4 with HTTP/2 and php-fpm');
    await platform.page.getByRole('button', { name: 'Start lab' }).click();
    await expect
      .poll(() => platform.page.getByTestId('terminal-status').innerText(), { timeout: 120_000 })
      .toBe('Connected');
  });

  it('shows prefork and mod_php as the starting point', async () => {
    await run(`echo 'export PATH="$PATH:/usr/sbin"' >> ~/.bashrc`);
    await run('source ~/.bashrc');
    await run('apachectl -M | grep -E "mpm|php|http2|ssl"');
    await expect.poll(() => terminalText(platform.page), { timeout: 15_000 }).toContain('mpm_prefork_module');
  });

  it('writes the TLS site in the editor, whose save runs apachectl -t', async () => {
    await run('a2enmod ssl');
    await run('mkdir -p /etc/apache2/ssl');
    await run(
      'openssl req -x509 -newkey rsa:2048 -nodes -days 365 -keyout /etc/apache2/ssl/key.pem -out /etc/apache2/ssl/cert.pem -subj /CN=example.test -addext subjectAltName=DNS:example.test -addext basicConstraints=critical,CA:FALSE',
    );
    await platform.page
      .getByRole('button', { name: /h2\.conf/ })
      .first()
      .click();
    await expect
      .poll(() => platform.page.getByTestId('editor-status').innerText(), { timeout: 30_000 })
      .toMatch(/New file/);
    await writeAndSave(SITE);
    await expect.poll(() => configTest().innerText(), { timeout: 30_000 }).toBe('apachectl -t: Syntax OK');
    await run('a2ensite h2');
    await run('apachectl -t');
    await expect.poll(() => terminalText(platform.page), { timeout: 15_000 }).toContain('Syntax OK');
  });

  it("marks a misspelled directive on its line with apachectl's message, and clears it once fixed", async () => {
    await platform.page.getByRole('tab', { name: 'Editor' }).click();
    await writeAndSave(SITE.replace('Protocols h2', 'Protocolz h2'));
    await expect
      .poll(() => configTest().innerText(), { timeout: 30_000 })
      .toBe(
        "apachectl -t: line 4: Invalid command 'Protocolz', perhaps misspelled or defined by a module not included in the server configuration",
      );
    expect(await configTest().getAttribute('data-phase')).toBe('error');
    // The diagnostic sits on line 4 of the editor, with a marker in the gutter.
    const marked = editor().locator('.cm-lintRange-error');
    await expect.poll(() => marked.count(), { timeout: 10_000 }).toBe(1);
    expect(await marked.innerText()).toContain('Protocolz h2 http/1.1');
    expect(await editor().locator('.cm-lint-marker-error').count()).toBe(1);
    await marked.hover();
    await expect
      .poll(() => platform.page.locator('.cm-tooltip-lint').innerText(), { timeout: 10_000 })
      .toContain("Invalid command 'Protocolz'");
    await platform.page.screenshot({ path: path.join(SCREENSHOT_DIR, 'apache-diagnostic.png') });

    await writeAndSave(SITE);
    await expect.poll(() => configTest().innerText(), { timeout: 30_000 }).toBe('apachectl -t: Syntax OK');
    expect(await editor().locator('.cm-lintRange-error').count()).toBe(0);
  });

  it('asks for HTTP/2 under prefork and gets HTTP/1.1, and the error log says why', async () => {
    await run('apachectl -M | grep http2');
    await run('a2enmod http2');
    await typeInTerminal(
      platform.page,
      `printf '<?php\\necho "Hello from PHP ", PHP_VERSION, " via ", php_sapi_name(), "\\\\n";\\n' > /var/www/html/sapi.php`,
    );
    await run('apachectl start');
    await run('curl -sk --http2 -i https://127.0.0.1/sapi.php');
    await expect
      .poll(() => terminalText(platform.page), { timeout: 15_000 })
      .toMatch(/HTTP\/1\.1 200 OK[\s\S]*via apache2handler/);
    await run('grep AH10034 /var/log/apache2/error.log');
    await check('prefork');
  });

  it('starts php-fpm as the learner', async () => {
    await run('php-fpm8.2');
    await run('ls -l /run/php');
    await check('php-fpm');
  });

  it('switches to mpm_event and serves the PHP page over HTTP/2 from php-fpm', async () => {
    await run('a2dismod php8.2 mpm_prefork');
    await run('a2enmod mpm_event proxy_fcgi setenvif');
    await run('a2enconf php8.2-fpm');
    await run('apachectl stop');
    // As the lesson says: start only once the old Apache is gone.
    await expect
      .poll(
        async () => {
          await run('pgrep -l apache2');
          return (await terminalText(platform.page)).trimEnd().split('\n').slice(-2)[0];
        },
        { timeout: 20_000 },
      )
      .toMatch(/pgrep -l apache2$/);
    await run('apachectl start');
    await run('curl -sk --http2 -i https://127.0.0.1/sapi.php');
    await expect
      .poll(() => terminalText(platform.page), { timeout: 15_000 })
      .toMatch(/HTTP\/2 200[\s\S]*via fpm-fcgi/);
    await check('event-h2');
    expect(await platform.page.locator('.lab-panel-head').innerText()).toContain('3 of 3 steps passed');
    await platform.page.screenshot({ path: path.join(SCREENSHOT_DIR, 'lesson-14-done.png') });
  });
});
