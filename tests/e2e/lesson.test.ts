// A learner's walk through the fixture course in Chromium: the catalogue, a course, a lesson with its
// lab started beside it, a <Run> command's output in the terminal, a file edited and saved in the
// editor and seen with cat, a failing Check with its message and command, then a passing one that
// stays green after a reload and shows in the catalogue's progress. Screenshots go to SCREENSHOT_DIR.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SCREENSHOT_DIR } from '../support/browser';
import { usePlatformInBrowser } from '../support/e2e';
import { PROJECT_ROOT } from '../support/cli';
import { terminalText } from '../support/terminal-page';

const FIXTURES = path.join(PROJECT_ROOT, 'tests', 'fixtures');
const platform = usePlatformInBrowser('e2e-lesson', {
  env: {
    KEIKO_CONTENT_DIR: path.join(FIXTURES, 'content'),
    KEIKO_LABS_DIR: path.join(FIXTURES, 'labs'),
    KEIKO_POOL_SIZE: '0',
  },
  viewport: { width: 1440, height: 900 },
  permissions: ['clipboard-read', 'clipboard-write'],
});

const LESSON = '/courses/example/01-files';
const step = () => platform.page.getByTestId('step-greeting');
const shot = (name: string) => platform.page.screenshot({ path: path.join(SCREENSHOT_DIR, name) });

describe('a lesson in the browser', () => {
  it('the catalogue lists the course with no progress yet, and the course page lists its lessons', async () => {
    await platform.page.goto(platform.server.url);
    const card = platform.page.getByTestId('course-example');
    // The page is the same for everyone; the learner's own progress fills in once it has loaded.
    await expect
      .poll(() => card.innerText(), { timeout: 30_000 })
      .toMatch(/Example course[\s\S]*2 lessons[\s\S]*0 of 4 steps/);
    await shot('catalogue.png');
    await card.getByRole('link', { name: 'Example course' }).click();
    await platform.page.waitForURL(`${platform.server.url}/courses/example`);
    await expect
      .poll(() => platform.page.getByTestId('lesson-01-files').innerText(), { timeout: 30_000 })
      .toMatch(/Files and commands[\s\S]*0 of 1 steps/);
    await platform.page.getByRole('link', { name: 'Files and commands' }).click();
    await platform.page.waitForURL(`${platform.server.url}${LESSON}`);
  });

  it('starts the lab beside the lesson, and a <Run> command runs in its terminal', async () => {
    expect(await platform.page.getByTestId('lab-state').innerText()).toBe('Your sandbox is not running.');
    await platform.page.getByRole('button', { name: 'Start lab' }).click();
    await expect
      .poll(() => platform.page.getByTestId('terminal-status').innerText(), { timeout: 90_000 })
      .toBe('Connected');
    await platform.page
      .getByRole('button', { name: 'Run in the terminal: echo "run-clicked-$((6 * 7))"' })
      .click();
    await expect.poll(() => terminalText(platform.page), { timeout: 15_000 }).toContain('run-clicked-42');
  });

  it('a failing Check shows its message and the command to reproduce it', async () => {
    await step().getByRole('button', { name: 'Check' }).click();
    await expect
      .poll(() => step().innerText(), { timeout: 30_000 })
      .toMatch(/does not contain "hello keiko"[\s\S]*Try: /);
    expect(await step().getAttribute('data-passed')).toBe('false');
    expect(await platform.page.getByTestId('inline-step-greeting').innerText()).toMatch(
      /does not contain "hello keiko"/,
    );
    await shot('failing-check.png');
  });

  it('a file opened from the text is edited and saved in the editor, and cat in the terminal shows it', async () => {
    await platform.page
      .getByRole('button', { name: /greeting\.txt/ })
      .first()
      .click();
    const editor = platform.page.getByTestId('file-editor');
    await expect
      .poll(() => editor.locator('.cm-content').innerText(), { timeout: 30_000 })
      .toContain('hello world');
    await editor.locator('.cm-content').click();
    await platform.page.keyboard.press('Control+A');
    await platform.page.keyboard.type('hello keiko\n');
    await platform.page.keyboard.press('Control+S');
    await expect
      .poll(() => platform.page.getByTestId('editor-status').innerText(), { timeout: 15_000 })
      .toMatch(/Saved/);
    await shot('lesson-editor.png');
    await platform.page.getByRole('button', { name: 'Run in the terminal: cat greeting.txt' }).click();
    await expect
      .poll(() => terminalText(platform.page), { timeout: 15_000 })
      .toMatch(/cat greeting\.txt\s+hello keiko/);
  });

  it('Check turns the step green, in the checklist and in the text, and it stays green after a reload', async () => {
    await step().getByRole('button', { name: 'Check' }).click();
    await expect.poll(() => step().getAttribute('data-passed'), { timeout: 30_000 }).toBe('true');
    expect(await platform.page.getByTestId('inline-step-greeting').getAttribute('data-passed')).toBe('true');
    await shot('lesson-running.png');
    await platform.page.reload();
    // The learner's record arrives after the page (GET /api/labs/{labId}/record).
    await expect.poll(() => step().getAttribute('data-passed'), { timeout: 30_000 }).toBe('true');
    // The learner's sandbox is still running: the page resumes it by itself.
    await expect
      .poll(() => platform.page.getByTestId('terminal-status').innerText(), { timeout: 60_000 })
      .toBe('Connected');
  });

  it('Reset gives a fresh sandbox and keeps the passed step', async () => {
    platform.page.once('dialog', (dialog) => void dialog.accept());
    await platform.page.getByRole('button', { name: 'Reset' }).click();
    expect(await platform.page.getByTestId('lab-state').innerText()).toMatch(/Starting your sandbox/);
    await expect
      .poll(() => platform.page.getByTestId('terminal-status').innerText(), { timeout: 90_000 })
      .toBe('Connected');
    await platform.page.getByRole('button', { name: 'Run in the terminal: cat greeting.txt' }).click();
    // The new sandbox has the starter file again; the learner's record still says passed.
    await expect
      .poll(() => terminalText(platform.page), { timeout: 15_000 })
      .toMatch(/cat greeting\.txt\s+hello world/);
    expect(await step().getAttribute('data-passed')).toBe('true');
  });

  it('the catalogue counts the passed step, and the lesson reads well in the dark theme', async () => {
    await platform.page.goto(platform.server.url);
    await expect
      .poll(() => platform.page.getByTestId('course-example').innerText(), { timeout: 30_000 })
      .toMatch(/1 of 4 steps/);
    await platform.page.emulateMedia({ colorScheme: 'dark' });
    await platform.page.goto(`${platform.server.url}${LESSON}`);
    await expect
      .poll(() => platform.page.getByTestId('terminal-status').innerText(), { timeout: 60_000 })
      .toBe('Connected');
    await shot('lesson-dark.png');
  });
});
