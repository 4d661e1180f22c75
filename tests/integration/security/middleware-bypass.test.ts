// Attack: send the headers Next.js uses between its own parts (`x-middleware-subrequest`, which let a
// request skip middleware in CVE-2025-29927, and its relatives `x-middleware-*`, `x-invoke-*`), hoping
// to skip an authorization or origin check on the session routes.
// Defence: nothing in Keiko's checks lives in middleware: the custom server applies the Host and
// cross-site rules before Next sees a request and removes these headers, and each session route
// authorizes its caller itself (platform/http-boundary.ts, app/_lib/sessions.server.ts).
import { beforeAll, describe, expect, it } from 'vitest';
import { useServer } from '../../support/server';

const server = useServer('bypass');
let session: { id: string; token: string };

const BYPASS: Record<string, string> = {
  'x-middleware-subrequest': 'middleware:middleware:middleware:middleware:middleware',
  'x-middleware-prefetch': '1',
  'x-invoke-path': '/api/health',
  'x-invoke-query': '{}',
  'x-now-route-matches': '1',
};

beforeAll(async () => {
  const response = await fetch(`${server.url}/api/labs/terminal-demo/sessions`, { method: 'POST' });
  session = (await response.json()) as { id: string; token: string };
});

describe('middleware-bypass headers on the session routes', () => {
  it('get the same answers as without them: 404 without credentials, 403 cross-site', async () => {
    const url = `${server.url}/api/sessions/${session.id}`;
    for (const [name, value] of Object.entries({ ...BYPASS, 'src/middleware': '' })) {
      const headers: Record<string, string> =
        name === 'src/middleware'
          ? { 'x-middleware-subrequest': 'src/middleware:'.repeat(5) }
          : { [name]: value };
      expect((await fetch(url, { headers })).status, name).toBe(404);
      expect((await fetch(`${url}/files?path=/etc/hostname`, { headers })).status, name).toBe(404);
      expect((await fetch(url, { method: 'DELETE', headers })).status, name).toBe(404);
      expect(
        (await fetch(url, { method: 'DELETE', headers: { ...headers, Origin: 'https://evil.example' } }))
          .status,
        name,
      ).toBe(403);
      expect(
        (
          await fetch(`${url}/steps/look-around/solve`, {
            method: 'POST',
            headers: { ...headers, 'Sec-Fetch-Site': 'cross-site', Authorization: `Bearer ${session.token}` },
          })
        ).status,
        name,
      ).toBe(403);
    }
    // The session is untouched, and its owner still reaches it.
    const alive = await fetch(url, { headers: { ...BYPASS, Authorization: `Bearer ${session.token}` } });
    expect(alive.status).toBe(200);
    const stopped = await fetch(url, {
      method: 'DELETE',
      headers: { Authorization: `Bearer ${session.token}` },
    });
    expect(stopped.status).toBe(204);
  });
});
