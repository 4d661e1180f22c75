import type { Page } from 'playwright-core';

/** What has the keyboard focus, as a test can tell it apart. */
export interface Focused {
  /** Its accessible name as a person hears it: aria-label, else its text. */
  name: string;
  tag: string;
  role: string;
  /** The data-testid of the element or of its nearest marked ancestor. */
  within: string;
  /** It is the terminal's (xterm.js) or the editor's (CodeMirror) input, both of which keep Tab. */
  trapsTab: boolean;
}

export function focused(page: Page): Promise<Focused> {
  return page.evaluate(() => {
    const element = document.activeElement as HTMLElement | null;
    if (!element || element === document.body)
      return { name: '', tag: 'body', role: '', within: '', trapsTab: false };
    return {
      name: (element.getAttribute('aria-label') ?? element.textContent ?? '').trim().replace(/\s+/g, ' '),
      tag: element.tagName.toLowerCase(),
      role: element.getAttribute('role') ?? '',
      within: element.closest('[data-testid]')?.getAttribute('data-testid') ?? '',
      trapsTab:
        element.classList.contains('xterm-helper-textarea') || element.classList.contains('cm-content'),
    };
  });
}

/**
 * Presses Tab (Shift+Tab with `backwards`) until the focus is on what `wanted` accepts, as a
 * keyboard user moves through the page. Passing through the terminal or the editor, which keep Tab
 * for themselves, it leaves them the way the page says: Escape, then Tab.
 */
export async function tabTo(
  page: Page,
  wanted: (focus: Focused) => boolean,
  options: { backwards?: boolean; max?: number } = {},
): Promise<Focused> {
  const key = options.backwards ? 'Shift+Tab' : 'Tab';
  const seen: string[] = [];
  for (let presses = 0; presses < (options.max ?? 250); presses++) {
    const before = await focused(page);
    if (before.trapsTab) await page.keyboard.press('Escape');
    await page.keyboard.press(key);
    const now = await focused(page);
    if (wanted(now)) return now;
    seen.push(`${now.tag}[${now.within}] ${now.name.slice(0, 40)}`);
  }
  throw new Error(`Tab never reached the wanted element; it went through:\n${seen.join('\n')}`);
}

/** A matcher for tabTo: the element's name is `name` (or matches it), optionally inside `within`. */
export function named(name: string | RegExp, within?: string): (focus: Focused) => boolean {
  return (focus) =>
    (typeof name === 'string' ? focus.name === name : name.test(focus.name)) &&
    (within === undefined || focus.within === within);
}
