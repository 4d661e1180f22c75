// The lab panel in Chromium: a step's Check button shows why it failed and what to run, the learner
// fixes it in the terminal, Check turns the step green, and a reload keeps it green.
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, SCREENSHOT_DIR } from '../support/browser';
import { PROJECT_ROOT } from '../support/cli';
import { startServer, type RunningServer } from '../support/server';
import { typeInTerminal } from '../support/terminal-page';
import { tempDir } from '../support/temp';

const data = tempDir('e2e-panel');
let server: RunningServer;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  server = await startServer({
    KEIKO_DATA_DIR: data.dir,
    KEIKO_LABS_DIR: path.join(PROJECT_ROOT, 'tests', 'fixtures', 'labs'),
    KEIKO_POOL_SIZE: '0',
  });
  browser = await launchChromium();
  page = await (await browser.newContext({ viewport: { width: 1200, height: 900 } })).newPage();
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
  data.remove();
});

const step = () => page.getByTestId('step-hello-file');

describe('lab panel', () => {
  it('a failing check shows its message and the command to reproduce it', async () => {
    await page.goto(`${server.url}/labs/grading-demo`);
    await expect
      .poll(() => page.getByTestId('terminal-status').innerText(), { timeout: 60_000 })
      .toBe('Connected');
    await step().getByRole('button', { name: 'Check' }).click();
    await expect
      .poll(() => step().innerText(), { timeout: 30_000 })
      .toMatch(/does not exist yet[\s\S]*Try: cat \/home\/learner\/app\/hello\.txt/);
    expect(await step().getAttribute('data-passed')).toBe('false');
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'failing-check.png') });
  });

  it('after the fix typed in the terminal, Check turns the step green, and it stays green after a reload', async () => {
    await typeInTerminal(page, 'echo keiko > hello.txt');
    await step().getByRole('button', { name: 'Check' }).click();
    await expect.poll(() => step().getAttribute('data-passed'), { timeout: 30_000 }).toBe('true');
    await page.reload();
    await expect.poll(() => step().getAttribute('data-passed'), { timeout: 60_000 }).toBe('true');
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'passed-check.png') });
  });
});
