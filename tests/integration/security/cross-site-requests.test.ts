// Attack (cross-site request forgery): a page on another site submits a form, or a fetch, to
// POST /api/labs/{id}/sessions (or stops a session, or writes a file). The learner's SameSite=Lax
// cookie is not sent on such a POST, so the platform took the learner for a new one, made a new
// identity and overwrote their cookie: their progress was hidden from them.
// Defence: every request that changes something (any method but GET, HEAD, OPTIONS) is refused with
// 403 `{ error: { code: "cross_site" } }` when the browser says it is cross-site (Sec-Fetch-Site) or its
// Origin is not one of this server's; clients without either (curl, the graders) still work, and a
// refused request sets no cookie (platform/http-boundary.ts). On https the learner cookie is
// `__Host-keiko_learner` (no sibling subdomain can plant or overwrite it); an older `keiko_learner`
// cookie still opens its identity.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../support/cli';
import { rawRequest } from '../../support/raw-http';
import { startServer, useServer } from '../../support/server';
import { tempDir } from '../../support/temp';

const server = useServer('csrf');
const labs = path.join(PROJECT_ROOT, 'tests', 'fixtures', 'labs');

async function expectCrossSiteRefusal(response: Response): Promise<void> {
  expect(response.status).toBe(403);
  expect(response.headers.get('set-cookie')).toBeNull();
  const body = (await response.json()) as { error: { code: string; message: string } };
  expect(body.error.code).toBe('cross_site');
  expect(body.error.message).toMatch(/another/);
}

describe('state-changing requests from another site', () => {
  it('a cross-site form POST neither starts a lab nor replaces the learner cookie', async () => {
    const start = `${server.url}/api/labs/terminal-demo/sessions`;
    await expectCrossSiteRefusal(
      await fetch(start, {
        method: 'POST',
        headers: {
          Origin: 'https://evil.example',
          'Sec-Fetch-Site': 'cross-site',
          'Content-Type': 'application/x-www-form-urlencoded',
        },
        body: 'a=b',
      }),
    );
    await expectCrossSiteRefusal(
      await fetch(start, { method: 'POST', headers: { 'Sec-Fetch-Site': 'cross-site' } }),
    );
    await expectCrossSiteRefusal(await fetch(start, { method: 'POST', headers: { Origin: 'null' } }));
    // The platform's own page, and a client that is not a browser, still start labs.
    const own = await fetch(start, {
      method: 'POST',
      headers: { Origin: server.url, 'Sec-Fetch-Site': 'same-origin' },
    });
    expect(own.status).toBe(201);
    const cookie = own.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/^keiko_learner=/); // http: the prefix cannot be used, the plain name stays
    const session = (await own.json()) as { id: string; token: string };
    const curl = await fetch(start, { method: 'POST' });
    expect(curl.status).toBe(201);
    const other = (await curl.json()) as { id: string; token: string };

    // Stopping a session, checking a step and writing a file are refused the same way, token or not.
    const sessionUrl = `${server.url}/api/sessions/${session.id}`;
    const evil = { Origin: 'https://evil.example', Cookie: cookie.split(';')[0]! };
    await expectCrossSiteRefusal(await fetch(sessionUrl, { method: 'DELETE', headers: evil }));
    await expectCrossSiteRefusal(
      await fetch(`${sessionUrl}/steps/look-around/check`, { method: 'POST', headers: evil }),
    );
    await expectCrossSiteRefusal(
      await fetch(`${sessionUrl}/files?path=/home/learner/app/notes.txt`, {
        method: 'PUT',
        headers: evil,
        body: 'looked',
      }),
    );
    const alive = await fetch(sessionUrl, { headers: { Authorization: `Bearer ${session.token}` } });
    expect(alive.status).toBe(200);
    for (const s of [session, other]) {
      const stopped = await fetch(`${server.url}/api/sessions/${s.id}`, {
        method: 'DELETE',
        headers: { Authorization: `Bearer ${s.token}` },
      });
      expect(stopped.status).toBe(204);
    }
  });

  it('on https the cookie is __Host-keiko_learner, and an older keiko_learner cookie keeps its identity', async () => {
    const secureData = tempDir('csrf-https');
    const secure = await startServer({
      KEIKO_DATA_DIR: secureData.dir,
      // Its own instance: neither server's reaper takes the other's sandboxes for orphans.
      KEIKO_INSTANCE: `${process.env.KEIKO_INSTANCE ?? 'test'}-https`.slice(0, 40),
      KEIKO_LABS_DIR: labs,
      KEIKO_POOL_SIZE: '0',
      KEIKO_PUBLIC_URL: 'https://keiko.test',
    });
    try {
      // As a TLS-terminating proxy forwards it: Host keiko.test, Origin https://keiko.test.
      const post = (cookie = '') =>
        rawRequest(
          secure.port,
          `POST /api/labs/terminal-demo/sessions HTTP/1.1\r\nHost: keiko.test\r\nOrigin: https://keiko.test\r\n` +
            `Sec-Fetch-Site: same-origin\r\nContent-Length: 0\r\n${cookie}Connection: close\r\n\r\n`,
          60_000,
        );
      const first = await post();
      expect(first.status).toBe(201);
      const setCookie = /\r\nset-cookie: ([^\r]*)/i.exec(first.text)?.[1] ?? '';
      expect(setCookie).toMatch(/^__Host-keiko_learner=/);
      expect(setCookie).toMatch(/; Secure/i);
      expect(setCookie).toMatch(/; Path=\//i);
      expect(setCookie).not.toMatch(/Domain=/i);
      expect(first.text).toMatch(/"terminalUrl":"wss:\/\/keiko\.test\/api\/sessions\//);
      // The same identity under the older name: its live session is resumed (200), no new cookie.
      const value = setCookie.split(';')[0]!.slice('__Host-keiko_learner='.length);
      const again = await post(`Cookie: keiko_learner=${value}\r\n`);
      expect(again.status).toBe(200);
      expect(again.text).not.toMatch(/\r\nset-cookie:/i);
      const id = /"id":"([^"]+)"/.exec(first.text)![1];
      const token = /"token":"([^"]+)"/.exec(first.text)![1];
      expect(
        (
          await fetch(`${secure.url}/api/sessions/${id}`, {
            method: 'DELETE',
            headers: { Authorization: `Bearer ${token}` },
          })
        ).status,
      ).toBe(204);
    } finally {
      await secure.stop();
      secureData.remove();
    }
  });
});
