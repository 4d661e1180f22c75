import type { Page } from 'playwright-core';

/** The text xterm.js has rendered in the terminal's rows. */
export function terminalText(page: Page): Promise<string> {
  return page.locator('[data-testid="terminal"] .xterm-rows').innerText();
}

/** Types into the terminal as a person would: focus it, then key presses. */
export async function typeInTerminal(page: Page, text: string): Promise<void> {
  await page.locator('[data-testid="terminal"] .xterm-helper-textarea').focus();
  await page.keyboard.type(text);
  await page.keyboard.press('Enter');
}
