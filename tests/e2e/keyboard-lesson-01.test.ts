// Lesson 1 of the real course finished with the keyboard alone, as someone who cannot use a mouse
// does it: Tab and Shift+Tab to move, Enter and Space to press, typing in the editor and the
// terminal and leaving both with Escape then Tab as the page says. A failed Check and each passed
// step reach the lab's polite live region. No mouse event reaches the page at any point.
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { usePlatformInBrowser } from '../support/e2e';
import { focused, named, tabTo } from '../support/keyboard';

const platform = usePlatformInBrowser('e2e-keyboard', {
  env: { KEIKO_POOL_SIZE: '0' },
  viewport: { width: 1280, height: 900 },
});
let page: Page;

beforeAll(async () => {
  page = platform.page;
  // Every pointer event the page sees is counted; the test ends by asking for none.
  await page.addInitScript(() => {
    const counted = { events: 0 };
    Object.assign(window, { keikoPointerEvents: counted });
    for (const type of ['mousedown', 'mouseup', 'pointerdown', 'click'])
      window.addEventListener(
        type,
        (event) => {
          if (event.isTrusted && (event as MouseEvent).detail > 0) counted.events++;
        },
        true,
      );
  });
});

const LESSON = '/courses/bottle/01-starting-bottle';
const APP_PY = [
  'from bottle import route, run',
  '',
  '',
  "@route('/hello')",
  'def hello():',
  "    return 'Hello World!'",
  '',
  '',
  "@route('/hello/<name>')",
  'def hello_name(name):',
  "    return f'Hello {name}!'",
  '',
  '',
  "run(host='0.0.0.0', port=8080)",
  '',
].join('\n');

const announced = () => page.getByTestId('lab-announcer').innerText();
const terminalStatus = () => page.getByTestId('terminal-status').innerText();

/** Tabs to the Check button of a step in the text, presses Enter and waits for the announcement. */
async function checkStep(id: string, expected: RegExp): Promise<void> {
  await tabTo(page, named('Check', `inline-step-${id}`));
  await page.keyboard.press('Enter');
  await expect.poll(announced, { timeout: 60_000 }).toMatch(expected);
}

describe('lesson 1 with the keyboard alone', () => {
  it('the first Tab reaches Skip to content; Skip to the lab leads to Start lab, and Enter starts the sandbox', async () => {
    await page.goto(`${platform.server.url}${LESSON}`);
    await page.keyboard.press('Tab');
    expect((await focused(page)).name).toBe('Skip to content');
    await tabTo(page, named('Skip to the lab'));
    await page.keyboard.press('Enter');
    await page.keyboard.press('Tab');
    expect((await focused(page)).name).toBe('Start lab');
    await page.keyboard.press('Enter');
    await expect.poll(terminalStatus, { timeout: 120_000 }).toBe('Connected');
  });

  it('a hint opens from the keyboard', async () => {
    await tabTo(page, (focus) => focus.tag === 'summary' && focus.name === 'Hint');
    await page.keyboard.press('Enter');
    expect(
      await page.evaluate(() => (document.activeElement?.parentElement as HTMLDetailsElement).open),
    ).toBe(true);
  });

  it('a failed Check is announced in the live region with its reason', async () => {
    await checkStep('hello-route', /^Step 1: .+/);
    expect(await page.getByTestId('step-hello-route').getAttribute('data-passed')).toBe('false');
  });

  it('the file link opens app.py in the editor with the focus in it; it is edited, saved with Ctrl+S, and left with Escape then Tab', async () => {
    await tabTo(
      page,
      (focus) => focus.tag === 'button' && focus.name.startsWith('/home/learner/app/app.py'),
      {
        backwards: true,
      },
    );
    await page.keyboard.press('Enter');
    expect(await page.getByRole('tab', { name: 'Editor' }).getAttribute('aria-selected')).toBe('true');
    await expect
      .poll(() => page.getByTestId('file-editor').locator('.cm-content').innerText(), { timeout: 30_000 })
      .toContain('TODO (step 1)');
    // The file asked for takes the focus: no need to Tab through the rest of the lesson to reach it.
    await expect.poll(async () => (await focused(page)).within).toBe('file-editor');
    expect((await focused(page)).trapsTab).toBe(true);
    await page.keyboard.press('Control+a');
    await page.keyboard.insertText(APP_PY);
    await page.keyboard.press('Control+s');
    await expect
      .poll(() => page.getByTestId('editor-status').innerText(), { timeout: 15_000 })
      .toMatch(/Saved/);
    // Tab inside the editor indents; Escape then Tab moves on.
    await page.keyboard.press('Escape');
    await page.keyboard.press('Tab');
    expect((await focused(page)).within).not.toBe('file-editor');
  });

  it('<Run> pressed with Enter types the command into the terminal and leaves the focus on the button', async () => {
    const run = await tabTo(page, named('Run in the terminal: python3 app.py > server.log 2>&1 &'), {
      backwards: true,
    });
    await page.keyboard.press('Enter');
    expect(await focused(page)).toEqual(run);
    expect(await page.getByRole('tab', { name: 'Terminal' }).getAttribute('aria-selected')).toBe('true');
  });

  it('each step passes, and each pass reaches the live region', async () => {
    await checkStep('hello-route', /^Step 1 passed/);
    await checkStep('hello-name', /^Step 2 passed/);
    await checkStep('all-interfaces', /^Step 3 passed/);
    expect(await page.locator('.lab-panel-head').innerText()).toMatch(/3 of 3 steps passed/);
  });

  it('in the terminal, typed commands run; Escape then Tab leaves it; the last output can be read', async () => {
    await tabTo(page, (focus) => focus.trapsTab && focus.within === 'terminal');
    await page.keyboard.type('ss -ltn | grep 8080');
    await page.keyboard.press('Enter');
    await expect
      .poll(() => page.locator('[data-testid="terminal"] .xterm-rows').innerText(), { timeout: 15_000 })
      .toContain('0.0.0.0:8080');
    // Tab alone stays in the shell (completion).
    await page.keyboard.press('Tab');
    expect((await focused(page)).within).toBe('terminal');
    await page.keyboard.press('Escape');
    await page.keyboard.press('Shift+Tab');
    expect((await focused(page)).within).not.toBe('terminal');
    await tabTo(page, named('Read last output'), { backwards: true });
    await page.keyboard.press('Enter');
    const output = page.getByTestId('terminal-last-output');
    await expect.poll(() => output.innerText()).toMatch(/LISTEN.*0\.0\.0\.0:8080/);
    expect((await focused(page)).within).toBe('terminal-last-output');
    // Escape closes it and gives the terminal the focus back.
    await page.keyboard.press('Escape');
    expect(await output.count()).toBe(0);
    expect((await focused(page)).within).toBe('terminal');
  });

  it("the terminal's screen reader mode is switched on with Space and remembered after a reload", async () => {
    await page.keyboard.press('Escape');
    await tabTo(page, (focus) => focus.within === 'terminal-screen-reader', { backwards: true });
    await page.keyboard.press('Space');
    await expect.poll(() => page.locator('.xterm-accessibility').count()).toBe(1);
    await page.reload();
    await expect.poll(terminalStatus, { timeout: 60_000 }).toBe('Connected');
    expect(await page.getByTestId('terminal-screen-reader').isChecked()).toBe(true);
    await expect.poll(() => page.locator('.xterm-accessibility').count()).toBe(1);
  });

  it('no mouse event reached the page', async () => {
    expect(
      await page.evaluate(
        () => (window as unknown as { keikoPointerEvents: { events: number } }).keikoPointerEvents.events,
      ),
    ).toBe(0);
  });
});
