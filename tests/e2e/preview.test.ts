// The learner's own server in the browser (issue 19, docs/preview.md): lesson 1's Bottle app opened
// from the lab panel's Ports on its own preview origin, and lesson 13's h2proxy opened over TLS passed
// through byte for byte, so Chromium itself negotiates HTTP/2 with the learner's proxy and sees the
// learner's certificate. Also, from inside the preview page: the platform's cookie is out of reach,
// and its API cannot be used with the learner's credentials.
import { X509Certificate } from 'node:crypto';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { SCREENSHOT_DIR } from '../support/browser';
import { usePlatformInBrowser } from '../support/e2e';
import { labSessionId, sandboxFileText, solveStep, stopSession } from '../support/session-api-page';

const platform = usePlatformInBrowser('e2e-preview', {
  env: { KEIKO_POOL_SIZE: '0' },
  viewport: { width: 1440, height: 900 },
  // Lesson 13's certificate is for example.test, and h2proxy requires that name (SNI): the lesson
  // has the learner map it to 127.0.0.1; the browser here does the same. The certificate is the
  // learner's own self-signed one, which a real learner accepts once on the warning platform.page.
  browserArgs: ['--host-resolver-rules=MAP example.test 127.0.0.1', '--ignore-certificate-errors'],
});

/** The session the lab panel started, read from the page's own API with its cookie. */
async function startLab(lessonPath: string): Promise<string> {
  await platform.page.goto(`${platform.server.url}${lessonPath}`);
  await platform.page.getByRole('button', { name: 'Start lab' }).click();
  await expect
    .poll(() => platform.page.getByTestId('terminal-status').innerText(), { timeout: 120_000 })
    .toBe('Connected');
  const labId = lessonPath.includes('13-') ? 'bottle-13-h2proxy' : 'bottle-01-hello';
  return labSessionId(platform.page, labId);
}

/** Applies a step's reference solution through the API, as the lab's "skip" does. */
async function solve(sessionId: string, stepId: string): Promise<void> {
  expect(await solveStep(platform.page, sessionId, stepId)).toBe(200);
}

/** Clicks Open on a port once it shows as listening, and returns the tab it opened. */
async function openFromPanel(port: number): Promise<Page> {
  const row = platform.page.getByTestId(`port-${port}`);
  await expect.poll(() => row.getAttribute('data-listening'), { timeout: 60_000 }).toBe('true');
  await platform.page
    .getByTestId('lab-ports')
    .screenshot({ path: path.join(SCREENSHOT_DIR, `preview-ports-${port}.png`) });
  const [tab] = await Promise.all([
    platform.page.context().waitForEvent('page'),
    row.getByRole('button').click(),
  ]);
  await tab.waitForLoadState('load');
  await expect.poll(() => tab.url(), { timeout: 30_000 }).not.toBe('about:blank');
  return tab;
}

describe('lesson 1: the Bottle app in a browser tab', () => {
  let sessionId: string;
  let preview: Page;

  it('lists port 8080 in the lab panel and opens it on its own origin, where it says Hello World!', async () => {
    sessionId = await startLab('/courses/bottle/01-starting-bottle');
    await solve(sessionId, 'hello-route');
    preview = await openFromPanel(8080);
    const origin = new URL(preview.url()).origin;
    expect(origin).toMatch(/^http:\/\/s[0-9a-f]+-8080\.localhost:\d+$/);
    expect(origin).not.toBe(new URL(platform.server.url).origin);
    await preview.goto(`${origin}/hello`);
    expect(await preview.locator('body').innerText()).toBe('Hello World!');
  });

  it("cannot read the platform's cookie or use its API with the learner's credentials", async () => {
    // The platform's page holds the learner cookie; the preview platform.page, another site, sees none of it.
    const platformCookies = await platform.page.context().cookies(platform.server.url);
    expect(platformCookies.map((c) => c.name)).toContain('keiko_learner');
    expect(await preview.evaluate(() => document.cookie)).not.toContain('keiko_');
    // Reading the API from the preview page: the browser sends no platform cookie and CORS hides the answer.
    const read = await preview.evaluate(async (url) => {
      try {
        const response = await fetch(url, { credentials: 'include' });
        return `read ${response.status}`;
      } catch {
        return 'blocked';
      }
    }, `${platform.server.url}/api/sessions/${sessionId}`);
    expect(read).toBe('blocked');
    // Acting on the API from the preview page: a DELETE of the session must not stop it.
    await preview.evaluate(async (url) => {
      await fetch(url, { method: 'DELETE', credentials: 'include', mode: 'no-cors' }).catch(() => undefined);
    }, `${platform.server.url}/api/sessions/${sessionId}`);
    const still = await platform.page.evaluate(
      async (id) => (await fetch(`/api/sessions/${id}`)).status,
      sessionId,
    );
    expect(still).toBe(200);
    await preview.close();
  });

  it('stops the lab to make room for the next one', async () => {
    expect(await stopSession(platform.page, sessionId)).toBe(204);
  });
});

describe('lesson 13: the learner’s HTTP/2 proxy over TLS, passed through', () => {
  it('answers the browser over h2 with the learner’s own certificate', async () => {
    const sessionId = await startLab('/courses/bottle/13-http2-proxy');
    for (const step of ['bottle-loopback', 'certificate', 'h2-proxy']) await solve(sessionId, step);
    const tab = await openFromPanel(8000);
    expect(new URL(tab.url()).protocol).toBe('https:');
    expect(new URL(tab.url()).hostname).toBe('example.test');
    // What the browser saw of the certificate, from the DevTools protocol, on a fresh load.
    const cdp = await tab.context().newCDPSession(tab);
    await cdp.send('Network.enable');
    const seen = new Promise<{ subjectName: string; issuer: string; validFrom: number; protocol: string }>(
      (resolve) => {
        cdp.on('Network.responseReceived', (event) => {
          const details = event.response.securityDetails;
          if (event.type === 'Document' && details)
            resolve({ ...details, protocol: event.response.protocol ?? '' });
        });
      },
    );
    await tab.goto(new URL('/hello', tab.url()).href);
    expect(await tab.locator('body').innerText()).toBe('Hello World!');
    await platform.page
      .getByTestId('lab-ports')
      .screenshot({ path: path.join(SCREENSHOT_DIR, 'preview-tls-note.png') });
    // The browser's own view of the protocol it negotiated with the learner's proxy.
    expect(
      await tab.evaluate(() => (performance.getEntries()[0] as PerformanceNavigationTiming).nextHopProtocol),
    ).toBe('h2');
    const security = await seen;
    expect(security.protocol).toBe('h2');
    expect(security.subjectName).toBe('example.test');
    // The learner's certificate itself (made in their sandbox): same subject, issuer and start date.
    const pem = await sandboxFileText(platform.page, sessionId, '/home/learner/app/cert.pem');
    const learnerCert = new X509Certificate(pem);
    expect(learnerCert.subject).toContain('CN=example.test');
    expect(security.issuer).toBe('example.test');
    expect(security.validFrom).toBe(Math.floor(Date.parse(learnerCert.validFrom) / 1000));
    await tab.close();
  });
});
