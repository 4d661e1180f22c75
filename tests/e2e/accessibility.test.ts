// axe-core audits every page a learner sees, in the light and the dark theme, and fails on any
// serious or critical violation: the catalogue, a course, lesson 1 before its lab runs, the same
// lesson with the lab running (the terminal tab, in screen reader mode too, a failed Check's
// explanation, the editor tab), the lab page on its own, and the status page. Then the lesson at
// 200 % zoom (a 640 px wide window): the lab stacks under the text with every step shown and
// nothing scrolls sideways; and the spinner and the cursor keep still for someone who asked for
// reduced motion.
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { seriousViolations, type AxeFinding } from '../support/axe';
import { usePlatformInBrowser } from '../support/e2e';
import { typeInTerminal } from '../support/terminal-page';

const platform = usePlatformInBrowser('e2e-a11y', {
  env: { KEIKO_POOL_SIZE: '0' },
  viewport: { width: 1280, height: 900 },
});
let page: Page;

beforeAll(async () => {
  page = platform.page;
});

const LESSON = '/courses/bottle/01-starting-bottle';
const THEMES = ['light', 'dark'] as const;

/** The learner's theme choice, applied as the theme toggle applies it (no reload). */
async function useTheme(theme: (typeof THEMES)[number]): Promise<void> {
  await page.evaluate((chosen) => {
    localStorage.setItem('keiko.theme', chosen);
    window.dispatchEvent(new Event('keiko-theme'));
  }, theme);
  await expect.poll(() => page.evaluate(() => document.documentElement.dataset.theme)).toBe(theme);
}

/** The serious and critical violations of the page as it is, in each theme, keyed by theme. */
async function auditBothThemes(): Promise<Record<string, AxeFinding[]>> {
  const found: Record<string, AxeFinding[]> = {};
  for (const theme of THEMES) {
    await useTheme(theme);
    found[theme] = await seriousViolations(page);
  }
  return found;
}

const CLEAN = { light: [], dark: [] };

async function waitForTerminal(): Promise<void> {
  await expect
    .poll(() => page.getByTestId('terminal-status').innerText(), { timeout: 120_000 })
    .toBe('Connected');
}

describe('accessibility audits (axe-core, both themes, no serious or critical violation)', () => {
  it('the catalogue', async () => {
    await page.goto(platform.server.url);
    expect(await auditBothThemes()).toEqual(CLEAN);
  });

  it('a course page', async () => {
    await page.goto(`${platform.server.url}/courses/bottle`);
    expect(await auditBothThemes()).toEqual(CLEAN);
  });

  it('a lesson before its lab runs, highlighted code included', async () => {
    await page.goto(`${platform.server.url}${LESSON}`);
    expect(await page.getByTestId('lab-state').innerText()).toBe('Your sandbox is not running.');
    expect(await auditBothThemes()).toEqual(CLEAN);
  });

  it('the lesson with the lab running: the terminal tab, with output', async () => {
    await page.getByRole('button', { name: 'Start lab' }).click();
    await waitForTerminal();
    await typeInTerminal(page, 'ls -l --color=auto; echo audit-$((6 * 7))');
    await expect
      .poll(() => page.getByTestId('terminal').innerText(), { timeout: 15_000 })
      .toContain('audit-42');
    expect(await auditBothThemes()).toEqual(CLEAN);
  });

  it("the terminal in xterm.js's screen reader mode", async () => {
    const toggle = page.getByTestId('terminal-screen-reader');
    await toggle.check();
    await expect.poll(() => page.locator('.xterm-accessibility').count()).toBe(1);
    expect(await auditBothThemes()).toEqual(CLEAN);
    await toggle.uncheck();
  });

  it('the lesson with a failed Check explained in the panel and the text', async () => {
    const step = page.getByTestId('step-hello-route');
    await step.getByRole('button', { name: 'Check' }).click();
    await expect.poll(() => step.locator('.check-failures').count(), { timeout: 60_000 }).toBe(1);
    expect(await auditBothThemes()).toEqual(CLEAN);
  });

  it('the lesson with the lab running: the editor tab, with a Python file open', async () => {
    await page.getByRole('tab', { name: 'Editor' }).click();
    await expect
      .poll(() => page.getByTestId('file-editor').locator('.cm-content').innerText(), { timeout: 30_000 })
      .toContain('from bottle import');
    expect(await auditBothThemes()).toEqual(CLEAN);
  });

  it('the lab page on its own, its sandbox running', async () => {
    await page.goto(`${platform.server.url}/labs/bottle-01-hello`);
    await waitForTerminal();
    expect(await auditBothThemes()).toEqual(CLEAN);
  });

  it('the status page', async () => {
    await page.goto(`${platform.server.url}/status`);
    expect(await auditBothThemes()).toEqual(CLEAN);
  });
});

describe('zoom and motion', () => {
  it('at 200 % zoom (640 px wide) the lab stacks under the text with every step shown, nothing scrolls sideways, and the audit is clean', async () => {
    await page.setViewportSize({ width: 640, height: 450 });
    await page.goto(`${platform.server.url}${LESSON}`);
    await waitForTerminal();
    const text = await page.locator('.lesson-text').boundingBox();
    const lab = await page.locator('.lab-panel').boundingBox();
    expect(lab!.y).toBeGreaterThanOrEqual(text!.y + text!.height - 1);
    // Every step shows in full above the terminal, none squeezed away.
    const steps = await page.locator('.lab-panel .step-list').boundingBox();
    expect(steps!.height).toBeGreaterThan(3 * 20);
    expect(
      await page.locator('.lab-panel .step-list').evaluate((list) => list.scrollHeight <= list.clientHeight),
    ).toBe(true);
    expect(
      await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth),
    ).toBeLessThanOrEqual(0);
    expect(await auditBothThemes()).toEqual(CLEAN);
    await page.setViewportSize({ width: 1280, height: 900 });
  });

  it('with reduced motion asked for, the spinner and the terminal cursor keep still', async () => {
    await page.emulateMedia({ reducedMotion: 'reduce' });
    await page.goto(`${platform.server.url}${LESSON}`);
    await waitForTerminal();
    const animation = await page.evaluate(() => {
      const spinner = document.createElement('span');
      spinner.className = 'spinner';
      document.body.append(spinner);
      const name = getComputedStyle(spinner).animationName;
      spinner.remove();
      return name;
    });
    expect(animation).toBe('none');
    expect(await page.locator('.xterm-cursor-blink').count()).toBe(0);
    await page.emulateMedia({ reducedMotion: 'no-preference' });
  });
});
