// The lab panel in Chromium: a step's Check button shows why it failed and what to run, the learner
// fixes it in the terminal, Check turns the step green, and a reload keeps it green.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SCREENSHOT_DIR } from '../support/browser';
import { usePlatformInBrowser } from '../support/e2e';
import { PROJECT_ROOT } from '../support/cli';
import { typeInTerminal } from '../support/terminal-page';

const platform = usePlatformInBrowser('e2e-panel', {
  env: { KEIKO_LABS_DIR: path.join(PROJECT_ROOT, 'tests', 'fixtures', 'labs'), KEIKO_POOL_SIZE: '0' },
});

const step = () => platform.page.getByTestId('step-hello-file');

describe('lab panel', () => {
  it('a failing check shows its message and the command to reproduce it', async () => {
    await platform.page.goto(`${platform.server.url}/labs/grading-demo`);
    await expect
      .poll(() => platform.page.getByTestId('terminal-status').innerText(), { timeout: 60_000 })
      .toBe('Connected');
    await step().getByRole('button', { name: 'Check' }).click();
    await expect
      .poll(() => step().innerText(), { timeout: 30_000 })
      .toMatch(/does not exist yet[\s\S]*Try: cat \/home\/learner\/app\/hello\.txt/);
    expect(await step().getAttribute('data-passed')).toBe('false');
    await platform.page.screenshot({ path: path.join(SCREENSHOT_DIR, 'failing-check.png') });
  });

  it('after the fix typed in the terminal, Check turns the step green, and it stays green after a reload', async () => {
    await typeInTerminal(platform.page, 'echo keiko > hello.txt');
    await step().getByRole('button', { name: 'Check' }).click();
    await expect.poll(() => step().getAttribute('data-passed'), { timeout: 30_000 }).toBe('true');
    await platform.page.reload();
    await expect.poll(() => step().getAttribute('data-passed'), { timeout: 60_000 }).toBe('true');
    await platform.page.screenshot({ path: path.join(SCREENSHOT_DIR, 'passed-check.png') });
  });
});
