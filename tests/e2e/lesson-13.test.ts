// Lesson 13 of the real course, done the way a learner does it: open the lesson, start the lab, type
// each command into the terminal (Bottle on loopback, a certificate, h2proxy with and without it, a
// WebSocket backend behind --ws), press Check after each step, and see every step pass.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SCREENSHOT_DIR } from '../support/browser';
import { usePlatformInBrowser } from '../support/e2e';
import { terminalText, typeInTerminal } from '../support/terminal-page';

const platform = usePlatformInBrowser('e2e-lesson-13', {
  env: { KEIKO_POOL_SIZE: '0' },
  viewport: { width: 1440, height: 900 },
});

/** As the lesson types them: trust the lab's own certificate and send its name (SNI), never -k. */
const RESOLVE = '--cacert cert.pem --resolve example.test:8000:127.0.0.1';
/**
 * The lesson's commands per step, in order; a server started in the background gets a moment, and
 * `until` is terminal output to wait for before pressing Check (an RSA key takes a while under load).
 */
const STEPS: { id: string; commands: (string | { wait: number })[]; until?: string }[] = [
  {
    id: 'bottle-loopback',
    commands: [
      `sed -i "s/host='0.0.0.0'/host='127.0.0.1'/" app.py`,
      'python3 app.py > app.log 2>&1 &',
      { wait: 2000 },
      'curl -i http://127.0.0.1:8080/hello',
    ],
  },
  {
    id: 'certificate',
    commands: [
      'openssl req -x509 -newkey rsa:2048 -nodes -keyout key.pem -out cert.pem -days 365 -subj "/CN=example.test" -addext "subjectAltName=DNS:example.test"',
      'openssl x509 -in cert.pem -noout -subject -ext subjectAltName',
    ],
    until: 'subject=CN = example.test',
  },
  {
    id: 'h2-proxy',
    commands: [
      'h2proxy -p 8000 -s example.test:cert.pem:key.pem --rev 127.0.0.1:8080 > proxy.log 2>&1 &',
      { wait: 2000 },
      `curl -i ${RESOLVE} https://example.test:8000/hello`,
    ],
  },
  {
    id: 'plain-proxy',
    commands: [
      'h2proxy -p 8001 --rev 127.0.0.1:8080 > plain.log 2>&1 &',
      { wait: 2000 },
      'curl -i http://127.0.0.1:8001/hello',
    ],
  },
  {
    id: 'websocket',
    commands: [
      'python3 ws_echo.py > ws.log 2>&1 &',
      { wait: 1500 },
      'kill %2',
      { wait: 500 },
      'h2proxy -p 8000 -s example.test:cert.pem:key.pem --rev 127.0.0.1:8080 --ws 127.0.0.1:8081 > proxy.log 2>&1 &',
      { wait: 2000 },
    ],
  },
];

describe('lesson 13 in the browser', () => {
  it('opens the lesson and starts its lab', async () => {
    await platform.page.goto(`${platform.server.url}/courses/bottle/13-http2-proxy`);
    expect(await platform.page.locator('h1').innerText()).toContain(
      'An HTTP/2 reverse proxy in front of Bottle',
    );
    await platform.page.getByRole('button', { name: 'Start lab' }).click();
    await expect
      .poll(() => platform.page.getByTestId('terminal-status').innerText(), { timeout: 120_000 })
      .toBe('Connected');
  });

  for (const { id, commands, until } of STEPS) {
    it(`types the commands of "${id}" and its Check passes`, async () => {
      for (const command of commands) {
        if (typeof command === 'string') await typeInTerminal(platform.page, command);
        else await platform.page.waitForTimeout(command.wait);
      }
      if (until) await expect.poll(() => terminalText(platform.page), { timeout: 60_000 }).toContain(until);
      const step = platform.page.getByTestId(`step-${id}`);
      await step.getByRole('button', { name: 'Check' }).click();
      await expect
        .poll(async () => `${await step.getAttribute('data-passed')}\n${await step.innerText()}`, {
          timeout: 60_000,
        })
        .toMatch(/^true\n/);
    });
  }

  it('shows every step passed, with the proxy answering over HTTP/2 in the terminal', async () => {
    await typeInTerminal(
      platform.page,
      `curl -s -o /dev/null -w 'served over HTTP/%{http_version}\\n' ${RESOLVE} https://example.test:8000/hello`,
    );
    await expect.poll(() => terminalText(platform.page), { timeout: 15_000 }).toContain('served over HTTP/2');
    expect(await platform.page.locator('.lab-panel-head').innerText()).toContain('5 of 5 steps passed');
    await platform.page.screenshot({ path: path.join(SCREENSHOT_DIR, 'lesson-13-done.png') });
  });
});
