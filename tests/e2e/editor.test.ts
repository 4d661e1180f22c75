// The file editor in Chromium on a real sandbox: a learner types into a file and saves it with Ctrl+S,
// another client (the terminal, a grader) changes it and the editor notices, a save over such a change
// asks before overwriting, and the path box opens a file that does not exist yet.
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SCREENSHOT_DIR } from '../support/browser';
import { startPlatformInBrowser } from '../support/e2e';
import { PROJECT_ROOT } from '../support/cli';
import type { RunningServer } from '../support/server';

const HELLO = '/home/learner/app/hello.py';
const STARTER = 'print("hello from the starter file")\n';
let server: RunningServer;
let page: Page;
let close: (() => Promise<void>) | undefined;
/** The learner's session, as the API gives it to the page's own cookie. */
let session: { id: string; token: string };

beforeAll(async () => {
  ({ server, page, close } = await startPlatformInBrowser('e2e-editor', {
    env: { KEIKO_LABS_DIR: path.join(PROJECT_ROOT, 'tests', 'fixtures', 'labs'), KEIKO_POOL_SIZE: '0' },
  }));
});
afterAll(async () => {
  if (session) {
    await fetch(`${server.url}/api/sessions/${session.id}`, {
      method: 'DELETE',
      headers: { Authorization: `Bearer ${session.token}` },
    });
  }
  await close?.();
});

/** Another client of the files API: what a grader or a script would do with the session's token. */
async function readFile(filePath: string): Promise<string> {
  const response = await fetch(
    `${server.url}/api/sessions/${session.id}/files?${new URLSearchParams({ path: filePath })}`,
    { headers: { Authorization: `Bearer ${session.token}` } },
  );
  expect(response.status).toBe(200);
  return response.text();
}

async function writeFile(filePath: string, content: string): Promise<void> {
  const response = await fetch(
    `${server.url}/api/sessions/${session.id}/files?${new URLSearchParams({ path: filePath })}`,
    { method: 'PUT', body: content, headers: { Authorization: `Bearer ${session.token}` } },
  );
  expect(response.status).toBe(204);
}

const status = () => page.getByTestId('editor-status').innerText();
const content = () => page.locator('.cm-content').innerText();
const tab = () => page.getByTestId('editor-tab');

async function typeAtEnd(text: string): Promise<void> {
  await page.locator('.cm-content').click();
  await page.keyboard.press('Control+End');
  await page.keyboard.type(text);
}

describe('file editor', () => {
  it('opens the lab file with its language, labelled for assistive technology', async () => {
    await page.goto(`${server.url}/labs/terminal-demo`);
    await expect
      .poll(() => page.getByTestId('terminal-status').innerText(), { timeout: 90_000 })
      .toBe('Connected');
    await page.getByRole('tab', { name: 'Editor' }).click();
    await page.getByTestId('editor-path').fill(HELLO);
    await page.getByTestId('editor-path').press('Enter');
    await expect.poll(status, { timeout: 30_000 }).toBe('Opened');
    expect(await content()).toContain('hello from the starter file');
    expect(await page.getByTestId('editor-path').inputValue()).toBe(HELLO);
    expect(await page.locator('.cm-content').getAttribute('aria-label')).toBe(`Editor for ${HELLO}`);
    expect(await page.locator('.editor-language').innerText()).toBe('Python');
    // Python is highlighted: `print` and the string are in spans of their own.
    expect(await page.locator('.cm-line span').count()).toBeGreaterThan(1);
    // The page's own cookie resumes the same session: its id and token, for the other client below.
    session = await page.evaluate(async () => {
      const response = await fetch('/api/labs/terminal-demo/sessions', { method: 'POST' });
      return (await response.json()) as { id: string; token: string };
    });
  });

  it('marks edits as unsaved, and Ctrl+S saves them into the sandbox', async () => {
    await typeAtEnd('print("typed in the browser")');
    await page.keyboard.press('Enter');
    await expect.poll(() => tab().getAttribute('data-dirty')).toBe('true');
    expect(await status()).toBe('Unsaved changes');
    await page.keyboard.press('Control+s');
    await expect.poll(status, { timeout: 15_000 }).toBe('Saved');
    expect(await tab().getAttribute('data-dirty')).toBe('false');
    expect(await readFile(HELLO)).toBe(`${STARTER}print("typed in the browser")\n`);
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'editor-saved.png') });
  });

  it('takes a change made in the sandbox by itself when it has no edits, and says so', async () => {
    await writeFile(HELLO, 'print("changed by another client")\n');
    await expect.poll(content, { timeout: 15_000 }).toContain('changed by another client');
    expect(await page.getByTestId('editor-changed').innerText()).toMatch(/Changed in the sandbox/);
    expect(await tab().getAttribute('data-dirty')).toBe('false');
  });

  it('with unsaved edits it keeps them, offers Reload, and a save asks before overwriting', async () => {
    await typeAtEnd('# my edit');
    await writeFile(HELLO, 'print("changed again")\n');
    await expect
      .poll(() => page.getByTestId('editor-changed').innerText(), { timeout: 15_000 })
      .toMatch(/Changed in the sandbox/);
    expect(await page.getByTestId('editor-reload').isVisible()).toBe(true);
    expect(await content()).toContain('# my edit');
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'editor-changed.png') });

    await page.keyboard.press('Control+s');
    await expect
      .poll(() => page.getByTestId('editor-conflict').innerText(), { timeout: 15_000 })
      .toMatch(/This file changed in the sandbox since you opened it/);
    expect(await readFile(HELLO)).toBe('print("changed again")\n');
    await page.getByTestId('editor-overwrite').click();
    await expect.poll(status, { timeout: 15_000 }).toBe('Saved');
    expect(await readFile(HELLO)).toBe('print("changed by another client")\n# my edit');
  });

  it('Reload drops the edits for what the sandbox has', async () => {
    await typeAtEnd('\n# to be dropped');
    await writeFile(HELLO, 'print("from the sandbox")\n');
    await page.getByTestId('editor-reload').click({ timeout: 15_000 });
    await expect.poll(content, { timeout: 15_000 }).toContain('from the sandbox');
    expect(await content()).not.toContain('to be dropped');
    expect(await tab().getAttribute('data-dirty')).toBe('false');
  });

  it('opens a new file from the path box and creates it on save', async () => {
    const newFile = '/home/learner/app/config.yaml';
    await page.getByTestId('editor-path').fill(newFile);
    await page.getByTestId('editor-path').press('Enter');
    await expect.poll(status, { timeout: 15_000 }).toBe('New file: saving creates it');
    expect(await page.locator('.editor-language').innerText()).toBe('YAML');
    await typeAtEnd('port: 8080');
    await page.keyboard.press('Control+s');
    await expect.poll(status, { timeout: 15_000 }).toBe('Saved');
    expect(await readFile(newFile)).toBe('port: 8080');
  });

  it('refuses a relative path in the path box, and follows the dark scheme', async () => {
    await page.getByTestId('editor-path').fill('app/hello.py');
    await page.getByTestId('editor-path').press('Enter');
    expect(await page.getByTestId('file-editor').getByRole('alert').innerText()).toMatch(/must be absolute/);
    await page.getByTestId('editor-path').press('Escape');
    await page.emulateMedia({ colorScheme: 'dark' });
    const background = await page
      .locator('.cm-editor')
      .evaluate((element) => getComputedStyle(element).backgroundColor);
    expect(background).toBe('rgb(29, 27, 24)');
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'editor-dark.png') });
  });
});
