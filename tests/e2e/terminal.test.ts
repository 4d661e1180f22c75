// The live terminal in Chromium: a learner opens a lab, types into a real shell in the sandbox, the
// shell follows the window's size, and a reload brings back the same shell with its output.
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SCREENSHOT_DIR } from '../support/browser';
import { startPlatformInBrowser } from '../support/e2e';
import { PROJECT_ROOT } from '../support/cli';
import type { RunningServer } from '../support/server';
import { terminalText, typeInTerminal } from '../support/terminal-page';

let server: RunningServer;
let page: Page;
let close: (() => Promise<void>) | undefined;

beforeAll(async () => {
  ({ server, page, close } = await startPlatformInBrowser('e2e-terminal', {
    env: { KEIKO_LABS_DIR: path.join(PROJECT_ROOT, 'tests', 'fixtures', 'labs'), KEIKO_POOL_SIZE: '0' },
    viewport: { width: 1200, height: 800 },
  }));
});

afterAll(async () => {
  await close?.();
});

async function shellSize(): Promise<string> {
  await typeInTerminal(page, 'echo "SIZE:$(stty size)"');
  await expect.poll(() => terminalText(page), { timeout: 15_000 }).toMatch(/SIZE:\d+ \d+/);
  const all = [...(await terminalText(page)).matchAll(/SIZE:(\d+ \d+)/g)];
  return all.at(-1)![1]!;
}

describe('lab terminal', () => {
  it('opens a lab and runs what the learner types in the sandbox', async () => {
    await page.goto(`${server.url}/labs/terminal-demo`);
    await expect
      .poll(() => page.getByTestId('terminal-status').innerText(), { timeout: 60_000 })
      .toBe('Connected');
    await typeInTerminal(page, 'echo $((6*7))');
    await expect.poll(() => terminalText(page), { timeout: 15_000 }).toMatch(/^42$/m);
    await typeInTerminal(page, 'cat hello.py; whoami');
    await expect
      .poll(() => terminalText(page), { timeout: 15_000 })
      .toMatch(/hello from the starter file[\s\S]*learner/);
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'lab-terminal.png') });
  });

  it('resizing the window changes the size the shell sees', async () => {
    const before = await shellSize();
    await page.setViewportSize({ width: 800, height: 600 });
    await expect.poll(shellSize, { timeout: 15_000 }).not.toBe(before);
  });

  it('a reload shows the earlier output and the same shell', async () => {
    await typeInTerminal(page, 'echo "PID:$$"');
    await expect.poll(() => terminalText(page), { timeout: 15_000 }).toMatch(/PID:\d+/);
    const pid = /PID:(\d+)/.exec(await terminalText(page))![1];
    await page.reload();
    await expect
      .poll(() => page.getByTestId('terminal-status').innerText(), { timeout: 30_000 })
      .toBe('Connected');
    await expect.poll(() => terminalText(page), { timeout: 15_000 }).toContain(`PID:${pid}`);
    await typeInTerminal(page, 'echo "AGAIN:$$"');
    await expect.poll(() => terminalText(page), { timeout: 15_000 }).toContain(`AGAIN:${pid}`);
  });

  it('a second tab of the same learner opens a second shell', async () => {
    const second = await page.context().newPage();
    await second.goto(`${server.url}/labs/terminal-demo`);
    await expect
      .poll(() => second.getByTestId('terminal-status').innerText(), { timeout: 60_000 })
      .toBe('Connected');
    await typeInTerminal(second, 'echo "TAB2:$$"');
    await expect.poll(() => terminalText(second), { timeout: 15_000 }).toMatch(/TAB2:\d+/);
    const first = /PID:(\d+)/.exec(await terminalText(page))![1];
    expect(/TAB2:(\d+)/.exec(await terminalText(second))![1]).not.toBe(first);
    await second.close();
  });
});
