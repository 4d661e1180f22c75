// Lesson 5 of the real course, done the way a learner does it: open the lesson, start the lab, open
// app.py from the lesson's file link, change it in the editor and save with Ctrl+S, type the lesson's
// commands into the terminal (start and restart the server, curl with a cookie jar, a forged cookie),
// press Check after each step, and see every step pass. No solve button anywhere.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SCREENSHOT_DIR } from '../support/browser';
import { usePlatformInBrowser } from '../support/e2e';
import { terminalText, typeInTerminal } from '../support/terminal-page';

const platform = usePlatformInBrowser('e2e-lesson-05', {
  env: { KEIKO_POOL_SIZE: '0' },
  viewport: { width: 1440, height: 900 },
});

/** app.py as the lesson has the learner write it, step by step. */
function app(lines: { secret?: boolean; flags?: boolean }): string {
  const secret = lines.secret ? ', secret=SECRET' : '';
  const flags = lines.flags ? ",\n                        httponly=True, samesite='Lax'" : '';
  return [
    '# Lesson 5: a visit counter kept in a cookie.',
    'from bottle import request, response, route, run',
    '',
    ...(lines.secret ? ["SECRET = 'keiko-lab-secret-change-me'", ''] : []),
    '',
    "@route('/visits')",
    'def visits():',
    `    count = int(request.get_cookie('visits', '0'${secret})) + 1`,
    `    response.set_cookie('visits', str(count)${secret}${flags})`,
    "    return {'visits': count}",
    '',
    '',
    "run(host='127.0.0.1', port=8080)",
    '',
  ].join('\n');
}

const JAR = 'curl -b jar.txt -c jar.txt http://127.0.0.1:8080/visits';
/** Per step: the file the editor saves, then the lesson's commands; a started server gets a moment. */
const STEPS: { id: string; file: string; commands: (string | { wait: number })[]; shows: string }[] = [
  {
    id: 'counter',
    file: app({}),
    commands: [
      'python3 app.py > platform.server.log 2>&1 &',
      { wait: 3000 },
      JAR,
      JAR,
      JAR,
      'tail -n 1 jar.txt',
    ],
    shows: '{"visits": 3}',
  },
  {
    id: 'signed',
    file: app({ secret: true }),
    commands: [
      'curl -H "Cookie: visits=1000" http://127.0.0.1:8080/visits',
      'kill %python3',
      { wait: 1000 },
      'python3 app.py > platform.server.log 2>&1 &',
      { wait: 3000 },
      'rm -f jar.txt',
      JAR,
      'sed -i "s/?gAWV/?gAWW/" jar.txt',
      'curl -b jar.txt http://127.0.0.1:8080/visits',
    ],
    shows: '{"visits": 1001}',
  },
  {
    id: 'flags',
    file: app({ secret: true, flags: true }),
    commands: [
      'kill %python3',
      { wait: 1000 },
      'python3 app.py > platform.server.log 2>&1 &',
      { wait: 3000 },
      'curl -i http://127.0.0.1:8080/visits',
    ],
    shows: 'HttpOnly; SameSite=Lax',
  },
];

describe('lesson 5 in the browser', () => {
  it('opens the lesson, starts its lab and opens app.py from the lesson text', async () => {
    await platform.page.goto(`${platform.server.url}/courses/bottle/05-cookies-sessions`);
    expect(await platform.page.locator('h1').innerText()).toContain('Cookies and signed sessions');
    await platform.page.getByRole('button', { name: 'Start lab' }).click();
    await expect
      .poll(() => platform.page.getByTestId('terminal-status').innerText(), { timeout: 120_000 })
      .toBe('Connected');
    await platform.page.locator('.file-ref', { hasText: '/home/learner/app/app.py' }).first().click();
    await expect
      .poll(() => platform.page.getByTestId('editor-status').innerText(), { timeout: 30_000 })
      .toBe('Opened');
    expect(await platform.page.locator('.cm-content').innerText()).toContain('TODO (step 1)');
  });

  for (const { id, file, commands, shows } of STEPS) {
    it(`edits app.py and types the commands of "${id}", and its Check passes`, async () => {
      await platform.page.getByRole('tab', { name: 'Editor' }).click();
      await platform.page.locator('.cm-content').click();
      await platform.page.keyboard.press('Control+a');
      await platform.page.keyboard.insertText(file);
      await platform.page.keyboard.press('Control+s');
      await expect
        .poll(() => platform.page.getByTestId('editor-status').innerText(), { timeout: 15_000 })
        .toBe('Saved');

      await platform.page.getByRole('tab', { name: 'Terminal' }).click();
      for (const command of commands) {
        if (typeof command === 'string') await typeInTerminal(platform.page, command);
        else await platform.page.waitForTimeout(command.wait);
      }
      await expect.poll(() => terminalText(platform.page), { timeout: 15_000 }).toContain(shows);

      const step = platform.page.getByTestId(`step-${id}`);
      await step.getByRole('button', { name: 'Check' }).click();
      await expect
        .poll(async () => `${await step.getAttribute('data-passed')}\n${await step.innerText()}`, {
          timeout: 60_000,
        })
        .toMatch(/^true\n/);
    });
  }

  it('shows every step passed', async () => {
    expect(await platform.page.locator('.lab-panel-head').innerText()).toContain('3 of 3 steps passed');
    await platform.page.screenshot({ path: path.join(SCREENSHOT_DIR, 'lesson-05-done.png') });
  });
});
