// Lesson 10's "Open it in your browser" passage, done in a real browser as the text says: the lab's
// certificate and cheroot server made by the steps' reference solutions, then port 8443 opened from
// the lab panel's Ports, TLS passed through to the learner's own server (docs/preview.md). The browser
// warns about the self-signed certificate, the learner accepts it for this site, and the page and the
// certificate the browser saw (subject, SAN, issuer, through the DevTools protocol) are the ones the
// text promises. Only the name is mapped to 127.0.0.1, as the text's /etc/hosts line does; no flag
// switches certificate checks off, so the warning is the browser's own.
import { X509Certificate } from 'node:crypto';
import path from 'node:path';
import type { CDPSession, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { navigateThroughNetworkChanges, SCREENSHOT_DIR } from '../support/browser';
import { usePlatformInBrowser } from '../support/e2e';
import { labSessionId, sandboxFileText, solveStep, stopSession } from '../support/session-api-page';

const platform = usePlatformInBrowser('e2e-lesson-10-preview', {
  env: { KEIKO_POOL_SIZE: '0' },
  viewport: { width: 1440, height: 900 },
  browserArgs: ['--host-resolver-rules=MAP bottle.test 127.0.0.1'],
});

/** What the DevTools protocol reports about a document's TLS connection and certificate. */
interface SeenDocument {
  status: number;
  /** The HTTP protocol (http/1.1, h2). */
  protocol: string;
  /** The TLS version (TLS 1.3). */
  tlsVersion: string;
  subjectName: string;
  sanList: string[];
  issuer: string;
  validFrom: number;
}

/** The next document response the tab receives, with its security details. */
function nextDocument(cdp: CDPSession): Promise<SeenDocument> {
  return new Promise((resolve) => {
    const listener = (event: {
      type?: string;
      response: {
        status: number;
        protocol?: string;
        securityDetails?: {
          protocol: string;
          subjectName: string;
          sanList: string[];
          issuer: string;
          validFrom: number;
        };
      };
    }) => {
      const details = event.response.securityDetails;
      if (event.type !== 'Document' || !details) return;
      cdp.off('Network.responseReceived', listener);
      resolve({
        status: event.response.status,
        protocol: event.response.protocol ?? '',
        tlsVersion: details.protocol,
        subjectName: details.subjectName,
        sanList: details.sanList,
        issuer: details.issuer,
        validFrom: details.validFrom,
      });
    };
    cdp.on('Network.responseReceived', listener);
  });
}

describe('lesson 10: open the TLS server in the browser', () => {
  let sessionId: string;
  let tab: Page;
  let address: URL;

  it('starts the lab and reaches the passage: a bottle.test certificate and cheroot on 8443', async () => {
    await platform.page.goto(`${platform.server.url}/courses/bottle/10-wsgi-over-tls`);
    expect(await platform.page.getByText('Open it in your browser.', { exact: true }).isVisible()).toBe(true);
    await platform.page.getByRole('button', { name: 'Start lab' }).click();
    await expect
      .poll(() => platform.page.getByTestId('terminal-status').innerText(), { timeout: 120_000 })
      .toBe('Connected');
    sessionId = await labSessionId(platform.page, 'bottle-10-tls');
    for (const step of ['certificate', 'https-server'])
      expect(await solveStep(platform.page, sessionId, step)).toBe(200);
  });

  it('lists port 8443 under Ports as HTTPS, and Open shows the address https://bottle.test:<port>/', async () => {
    const row = platform.page.getByTestId('port-8443');
    await expect.poll(() => row.getAttribute('data-listening'), { timeout: 60_000 }).toBe('true');
    expect(await row.innerText()).toContain('https :8443');
    const [opened] = await Promise.all([
      platform.page.context().waitForEvent('page'),
      row.getByRole('button', { name: 'Open port 8443 in a new tab' }).click(),
    ]);
    tab = opened;
    const note = platform.page.getByTestId('port-note');
    await expect.poll(() => note.innerText(), { timeout: 30_000 }).toContain('https://bottle.test:');
    address = new URL((await note.locator('code').innerText()).trim());
    expect(address.hostname).toBe('bottle.test');
    expect(address.pathname).toBe('/');
    expect(Number(address.port)).toBeGreaterThan(0);
    expect(address.port).not.toBe('8443');
    await platform.page
      .getByTestId('lab-ports')
      .screenshot({ path: path.join(SCREENSHOT_DIR, 'lesson-10-preview-ports.png') });
  });

  it('warns that it does not trust the self-signed certificate, as curl did without --cacert', async () => {
    // The tab went to the address on its own; Chromium stops on its certificate warning page.
    const warning = tab.locator('body');
    await expect
      .poll(() => warning.innerText().catch(() => ''), { timeout: 30_000 })
      .toContain('ERR_CERT_AUTHORITY_INVALID');
    expect(await warning.innerText()).toContain('Your connection is not private');
    await tab.screenshot({ path: path.join(SCREENSHOT_DIR, 'lesson-10-preview-warning.png') });
  });

  it('once accepted for this site, shows the app: Bottle’s 404 at /, Hello World! at /hello', async () => {
    const cdp = await tab.context().newCDPSession(tab);
    await cdp.send('Network.enable');
    const root = nextDocument(cdp);
    // "Accept it for this site only": the warning page's own Advanced, then Proceed.
    await tab.locator('#details-button').click();
    expect(await tab.locator('#proceed-link').innerText()).toContain('Proceed to bottle.test');
    await tab.locator('#proceed-link').click();
    const seenRoot = await root;
    expect(seenRoot.status).toBe(404);
    await expect
      .poll(() => tab.locator('body').innerText(), { timeout: 15_000 })
      .toContain('Error: 404 Not Found');
    const hello = nextDocument(cdp);
    await navigateThroughNetworkChanges(() => tab.goto(new URL('/hello', address).href));
    expect(await tab.locator('body').innerText()).toBe('Hello World!');
    const seen = await hello;
    expect(seen.status).toBe(200);
    // cheroot takes no part in ALPN, so the browser speaks HTTP/1.1 with it, as curl did.
    expect(seen.protocol).toBe('http/1.1');
    expect(seen.tlsVersion).toBe('TLS 1.3');
    expect(
      await tab.evaluate(() => (performance.getEntries()[0] as PerformanceNavigationTiming).nextHopProtocol),
    ).toBe('http/1.1');
    await tab.screenshot({ path: path.join(SCREENSHOT_DIR, 'lesson-10-preview-hello.png') });
  });

  it('shows the certificate as issued to bottle.test, by bottle.test: the learner’s own cert.pem', async () => {
    const cdp = await tab.context().newCDPSession(tab);
    await cdp.send('Network.enable');
    await cdp.send('Security.enable');
    const state = new Promise<{
      securityState: string;
      certificateSecurityState?: { subjectName: string; issuer: string; certificateNetworkError?: string };
    }>((resolve) => {
      cdp.on('Security.visibleSecurityStateChanged', (event) => {
        if (event.visibleSecurityState.certificateSecurityState) resolve(event.visibleSecurityState);
      });
    });
    const document = nextDocument(cdp);
    await navigateThroughNetworkChanges(() => tab.reload());
    const seen = await document;
    expect(seen.subjectName).toBe('bottle.test');
    expect(seen.sanList).toEqual(['bottle.test']);
    expect(seen.issuer).toBe('bottle.test');
    // The address bar's view: "Not secure" (Chromium's insecure-broken), because the certificate
    // was accepted despite its error.
    const visible = await state;
    expect(visible.securityState).toBe('insecure-broken');
    expect(visible.certificateSecurityState?.subjectName).toBe('bottle.test');
    expect(visible.certificateSecurityState?.issuer).toBe('bottle.test');
    expect(visible.certificateSecurityState?.certificateNetworkError).toContain('ERR_CERT_AUTHORITY_INVALID');
    // The same certificate the learner made in the sandbox: same subject and start date.
    const pem = await sandboxFileText(platform.page, sessionId, '/home/learner/app/cert.pem');
    const learnerCert = new X509Certificate(pem);
    expect(learnerCert.subject).toBe('CN=bottle.test');
    expect(learnerCert.subjectAltName).toBe('DNS:bottle.test');
    expect(seen.validFrom).toBe(Math.floor(Date.parse(learnerCert.validFrom) / 1000));
    await tab.close();
  });

  it('stops the lab', async () => {
    expect(await stopSession(platform.page, sessionId)).toBe(204);
  });
});
