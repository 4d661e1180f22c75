import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { launchChromium } from './browser';
import { startServer, type RunningServer } from './server';
import { tempDir } from './temp';

export interface PlatformInBrowser {
  server: RunningServer;
  browser: Browser;
  page: Page;
  /** Closes the browser, stops the server (ending its sessions) and removes its data folder. */
  close(): Promise<void>;
}

/**
 * The production server on its own data folder and a Chromium page beside it: what every browser
 * test starts from. `env` adds to KEIKO_DATA_DIR (fixture labs, content, pool size…).
 */
export async function startPlatformInBrowser(
  name: string,
  options: {
    env?: Record<string, string>;
    viewport?: { width: number; height: number };
    permissions?: string[];
    /** More Chromium flags, e.g. --host-resolver-rules for a lab's certificate name. */
    browserArgs?: string[];
  } = {},
): Promise<PlatformInBrowser> {
  const data = tempDir(name);
  const server = await startServer({ KEIKO_DATA_DIR: data.dir, ...options.env });
  const browser = await launchChromium(options.browserArgs);
  const context = await browser.newContext({ viewport: options.viewport ?? { width: 1200, height: 900 } });
  if (options.permissions) await context.grantPermissions(options.permissions, { origin: server.url });
  const page = await context.newPage();
  return {
    server,
    browser,
    page,
    async close() {
      await browser.close();
      await server.stop();
      data.remove();
    },
  };
}

/**
 * `startPlatformInBrowser` for a whole test file: started before its tests, closed after them. The
 * returned object reads the running server, browser and page once they have started.
 */
export function usePlatformInBrowser(
  name: string,
  options: Parameters<typeof startPlatformInBrowser>[1] = {},
): Omit<PlatformInBrowser, 'close'> {
  let running: PlatformInBrowser | undefined;
  beforeAll(async () => {
    running = await startPlatformInBrowser(name, options);
  }, 180_000);
  afterAll(async () => {
    await running?.close();
  });
  const current = (): PlatformInBrowser => {
    if (!running)
      throw new Error('the platform has not started: usePlatformInBrowser starts it in beforeAll');
    return running;
  };
  return {
    get server() {
      return current().server;
    },
    get browser() {
      return current().browser;
    },
    get page() {
      return current().page;
    },
  };
}
