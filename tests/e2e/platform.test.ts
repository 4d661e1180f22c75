// The platform as a newcomer meets it: the production build served by `keiko serve`, opened in
// Debian's Chromium, and /api/health answering with the contract's shape.
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, SCREENSHOT_DIR } from '../support/browser';
import { startServer, type RunningServer } from '../support/server';
import { tempDir } from '../support/temp';

const data = tempDir('e2e-platform');
let server: RunningServer;
let browser: Browser;

beforeAll(async () => {
  server = await startServer({ KEIKO_DATA_DIR: data.dir });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  data.remove();
});

describe('platform', () => {
  it('GET /api/health answers 200 with ok, the engine, every image and the store', async () => {
    const response = await fetch(`${server.url}/api/health`);
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    const body = (await response.json()) as Record<string, unknown>;
    expect(body).toMatchObject({
      ok: true,
      docker: { reachable: true },
      store: { ok: true, path: path.join(data.dir, 'keiko.db') },
    });
    expect(body.images).toEqual(
      expect.arrayContaining([expect.objectContaining({ name: 'keiko/bottle:latest', built: true })]),
    );
  });

  it('the home page renders in Chromium', async () => {
    const page = await browser.newPage();
    await page.goto(server.url);
    expect(await page.title()).toBe('Keiko');
    expect(await page.locator('h1').innerText()).toMatch(/real Linux beside every lesson/);
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'home.png'), fullPage: true });
    await page.close();
  });

  it('the status page says the platform is ready and lists the images', async () => {
    const page = await browser.newPage();
    await page.goto(`${server.url}/status`);
    expect(await page.getByTestId('overall').innerText()).toBe('Ready: labs can start.');
    expect(await page.locator('table').innerText()).toMatch(/keiko\/probe:latest\s+built/);
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'status.png'), fullPage: true });
    await page.close();
  });

  it('an unknown page answers 404', async () => {
    const response = await fetch(`${server.url}/no-such-page`);
    expect(response.status).toBe(404);
  });
});
