import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';

export const CHROMIUM_PATH = '/usr/bin/chromium';
export const SCREENSHOT_DIR = path.resolve(import.meta.dirname, '..', 'e2e', 'screenshots');

/** Debian's Chromium, headless, with the flags this closed network needs (Playwright gives it a fresh profile). */
export async function launchChromium(extraArgs: string[] = []): Promise<Browser> {
  fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      ...extraArgs,
    ],
  });
}

/**
 * Runs a navigation again when Chromium aborted it with ERR_NETWORK_CHANGED: it drops requests in
 * flight whenever the host's interfaces change, and every sandbox or container another process
 * starts on this machine adds one. A learner would press reload; any other error is the answer.
 */
export async function navigateThroughNetworkChanges<T>(navigate: () => Promise<T>, attempts = 3): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await navigate();
    } catch (error) {
      if (attempt >= attempts || !String(error).includes('ERR_NETWORK_CHANGED')) throw error;
    }
  }
}
