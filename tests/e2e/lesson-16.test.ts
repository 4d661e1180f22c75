// Lesson 16 of the real course, done the way a learner does it: open the lesson, start the lab, type
// each step's commands into the terminal (Apache with the weak starter site, then the hardening
// edits), press Check, and watch the TLS grade on the lab panel rise: B, A-, A, A+, each with the
// reasons the lesson gives. A screenshot of the panel is kept for every grade.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SCREENSHOT_DIR } from '../support/browser';
import { usePlatformInBrowser } from '../support/e2e';
import { terminalText, typeInTerminal } from '../support/terminal-page';

const platform = usePlatformInBrowser('e2e-lesson-16', {
  env: { KEIKO_POOL_SIZE: '0' },
  viewport: { width: 1440, height: 1000 },
});

const CONF = 'example-tls.conf';
const reload = 'apachectl configtest && apachectl graceful';
/** The lesson's commands per step (its config edits as sed), the grade it reaches and a reason shown. */
const STEPS: { id: string; commands: (string | { wait: number })[]; grade: string; reason: RegExp }[] = [
  {
    id: 'weak-server',
    commands: [
      'export PATH=$PATH:/usr/sbin',
      'a2enmod ssl headers',
      'ln -s /home/learner/app/example-tls.conf /etc/apache2/sites-enabled/',
      'apachectl start',
      { wait: 1500 },
      'curl -v --cacert ca.pem --resolve example.test:443:127.0.0.1 https://example.test/ -o /dev/null',
    ],
    grade: 'B',
    reason: /capped at B: TLS 1\.0 is offered/,
  },
  {
    id: 'modern-only',
    commands: [
      `sed -i 's/^ *SSLProtocol .*/    SSLProtocol -all +TLSv1.2/' ${CONF}`,
      `sed -i 's/^ *SSLCipherSuite .*/    SSLCipherSuite ECDHE-RSA-AES128-GCM-SHA256:ECDHE-RSA-AES256-GCM-SHA384:ECDHE-RSA-CHACHA20-POLY1305/' ${CONF}`,
      reload,
      { wait: 1500 },
    ],
    grade: 'A-',
    reason: /TLS 1\.3 is not offered/,
  },
  {
    id: 'tls13',
    commands: [
      `sed -i 's/^ *SSLProtocol .*/    SSLProtocol -all +TLSv1.2 +TLSv1.3/' ${CONF}`,
      reload,
      { wait: 1500 },
    ],
    grade: 'A',
    reason: /not A\+: no Strict-Transport-Security header is sent/,
  },
  {
    id: 'hsts',
    commands: [
      `sed -i 's#^</VirtualHost>#    Header always set Strict-Transport-Security "max-age=63072000"\\n</VirtualHost>#' ${CONF}`,
      reload,
      { wait: 1500 },
    ],
    grade: 'A+',
    reason: /Nothing caps or lowers this grade/,
  },
];

describe('lesson 16 in the browser', () => {
  it('opens the lesson and starts its lab, with the lab CA certificate in place', async () => {
    await platform.page.goto(`${platform.server.url}/courses/bottle/16-tls-grade`);
    expect(await platform.page.locator('h1').innerText()).toContain("Grading a server's TLS");
    await platform.page.getByRole('button', { name: 'Start lab' }).click();
    await expect
      .poll(() => platform.page.getByTestId('terminal-status').innerText(), { timeout: 120_000 })
      .toBe('Connected');
    await typeInTerminal(platform.page, 'openssl verify -CAfile ca.pem cert.pem');
    await expect.poll(() => terminalText(platform.page), { timeout: 15_000 }).toContain('cert.pem: OK');
  });

  for (const { id, commands, grade, reason } of STEPS) {
    it(`types the commands of "${id}", its Check passes and the panel shows ${grade}`, async () => {
      for (const command of commands) {
        if (typeof command === 'string') await typeInTerminal(platform.page, command);
        else await platform.page.waitForTimeout(command.wait);
      }
      const step = platform.page.getByTestId(`step-${id}`);
      await step.getByRole('button', { name: 'Check' }).click();
      await expect
        .poll(async () => `${await step.getAttribute('data-passed')}\n${await step.innerText()}`, {
          timeout: 90_000,
        })
        .toMatch(/^true\n/);
      const card = platform.page.getByTestId('tls-grade');
      await expect.poll(() => card.getAttribute('data-grade'), { timeout: 10_000 }).toBe(grade);
      expect(await card.getByTestId('tls-grade-reasons').innerText()).toMatch(reason);
      expect(await card.getByTestId('tls-grade-protocol').innerText()).toMatch(/Protocol support/);
      await card.scrollIntoViewIfNeeded();
      await platform.page
        .locator('.lab-panel')
        .screenshot({ path: path.join(SCREENSHOT_DIR, `lesson-16-grade-${grade}.png`) });
    });
  }

  it('shows every step passed', async () => {
    expect(await platform.page.locator('.lab-panel-head').innerText()).toContain('4 of 4 steps passed');
  });
});
