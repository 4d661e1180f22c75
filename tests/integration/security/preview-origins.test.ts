// Attack: open, or act through, another learner's preview (docs/preview.md): with one's own preview
// link, preview cookie, learner cookie or session token; with an expired link; with a link for another
// port; or use a preview host to reach the platform's own routes. And: read the platform's cookie or
// token from inside a preview (the learner's server sees what the relay forwards).
// Defence: a preview origin per session and port; a link signed for (session, port, learner) that
// lives a minute and is spent into a host-only HttpOnly cookie for that origin; every relayed request
// and upgrade must carry that cookie for a live session of that learner; preview hosts never reach
// Next.js; the relay strips the platform's cookies and the session's bearer token.
import http from 'node:http';
import { beforeAll, describe, expect, it } from 'vitest';
import { parsePreviewHost, previewDomain, previewOrigin, signGrant } from '@/platform';
import { Store } from '@/store';
import { useServer } from '../../support/server';
import { TerminalClient } from '../../support/terminal-client';

const server = useServer('preview-origins');
type Session = { id: string; token: string; terminalUrl: string; cookie: string };
let victim: Session;
let attacker: Session;

/**
 * Echoes the request's headers as JSON, as a learner's server might log them; a WebSocket handshake
 * is accepted (101) and then every byte is echoed, enough to prove the upgrade is relayed both ways.
 */
const ECHO_SERVER = `import base64, hashlib, http.server, json
class Echo(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        if self.headers.get('Upgrade', '').lower() == 'websocket':
            key = self.headers['Sec-WebSocket-Key'] + '258EAFA5-E914-47DA-95CA-C5AB0DC85B11'
            self.send_response(101)
            self.send_header('Upgrade', 'websocket')
            self.send_header('Connection', 'Upgrade')
            self.send_header('Sec-WebSocket-Accept', base64.b64encode(hashlib.sha1(key.encode()).digest()).decode())
            self.end_headers()
            self.wfile.flush()
            while True:
                data = self.connection.recv(65536)
                if not data: return
                self.connection.sendall(data)
        body = json.dumps({'path': self.path, 'headers': dict(self.headers.items())}).encode()
        self.send_response(200)
        self.send_header('Content-Type', 'application/json')
        self.send_header('Content-Length', str(len(body)))
        self.end_headers()
        self.wfile.write(body)
http.server.ThreadingHTTPServer(('127.0.0.1', 8080), Echo).serve_forever()
`;

/** A request to the server with a Host of our choice (no DNS for *.localhost needed in Node). */
function request(
  host: string,
  pathAndQuery: string,
  headers: Record<string, string> = {},
  method = 'GET',
): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: '127.0.0.1', port: server.port, path: pathAndQuery, method, headers: { ...headers, host } },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

const domain = () => previewDomain(`http://*.localhost:${server.port}`);
const hostOf = (session: Session, port: number) =>
  new URL(previewOrigin(domain(), { sessionId: session.id, port })).host;

async function link(session: Session, port: number, auth: Record<string, string>): Promise<string> {
  const response = await fetch(`${server.url}/api/sessions/${session.id}/ports/${port}/open`, {
    method: 'POST',
    headers: { ...auth, 'content-type': 'application/json' },
    body: '{}',
  });
  expect(response.status).toBe(200);
  return ((await response.json()) as { url: string }).url;
}

/** Spends a link and returns the preview cookie it set (`keiko_preview=…`). */
async function spend(url: string): Promise<string> {
  const parsed = new URL(url);
  const answer = await request(parsed.host, parsed.pathname + parsed.search);
  expect(answer.status).toBe(303);
  const cookie = String(answer.headers['set-cookie']);
  expect(cookie).toMatch(/HttpOnly/);
  expect(cookie).toMatch(/SameSite=Lax/);
  expect(cookie).not.toMatch(/Domain=/i); // host-only: this preview origin and no other
  return cookie.split(';')[0]!;
}

beforeAll(async () => {
  const start = async (): Promise<Session> => {
    const response = await fetch(`${server.url}/api/labs/example-files/sessions`, { method: 'POST' });
    return {
      ...((await response.json()) as Session),
      cookie: (response.headers.get('set-cookie') ?? '').split(';')[0]!,
    };
  };
  [victim, attacker] = await Promise.all([start(), start()]);
  // The victim's own server on 8080, written through the files API and started in their terminal.
  const put = await fetch(
    `${server.url}/api/sessions/${victim.id}/files?path=${encodeURIComponent('/home/learner/app/echo.py')}`,
    { method: 'PUT', headers: { authorization: `Bearer ${victim.token}` }, body: ECHO_SERVER },
  );
  expect(put.status).toBe(204);
  const terminal = await TerminalClient.open(victim.terminalUrl);
  terminal.type('python3 echo.py > echo.log 2>&1 &\r');
  for (let i = 0; i < 60; i += 1) {
    const ports = await fetch(`${server.url}/api/sessions/${victim.id}/ports`, {
      headers: { authorization: `Bearer ${victim.token}` },
    });
    const body = (await ports.json()) as { ports: { port: number; listening: boolean }[] };
    if (body.ports.some((p) => p.port === 8080 && p.listening)) break;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  await terminal.close();
}, 180_000);

describe('a preview is its owner’s only', () => {
  it("opens for the owner's link, and the relay strips the platform's cookies and token", async () => {
    const cookie = await spend(await link(victim, 8080, { cookie: victim.cookie }));
    const answer = await request(hostOf(victim, 8080), '/hello?x=1', {
      cookie: `${cookie}; ${victim.cookie}; theme=dark`,
      authorization: `Bearer ${victim.token}`,
    });
    expect(answer.status).toBe(200);
    const echoed = JSON.parse(answer.body) as { path: string; headers: Record<string, string> };
    const headers = Object.fromEntries(Object.entries(echoed.headers).map(([k, v]) => [k.toLowerCase(), v]));
    expect(echoed.path).toBe('/hello?x=1');
    expect(headers.cookie).toBe('theme=dark');
    expect(headers.authorization).toBeUndefined();
    expect(headers.host).toBe('localhost:8080');
    expect(headers['x-forwarded-host']).toBe(hostOf(victim, 8080));
  });

  it("refuses another learner's link, preview cookie, learner cookie and token", async () => {
    const host = hostOf(victim, 8080);
    const attackerLink = new URL(await link(attacker, 8080, { authorization: `Bearer ${attacker.token}` }));
    // The attacker's own link, spent on the victim's preview host.
    const spent = await request(host, attackerLink.pathname + attackerLink.search);
    expect(spent.status).toBe(403);
    expect(spent.headers['set-cookie']).toBeUndefined();
    // The attacker's own preview cookie (valid, for their session) on the victim's host.
    const attackerCookie = await spend(attackerLink.href);
    for (const headers of <Record<string, string>[]>[
      { cookie: attackerCookie },
      { cookie: attacker.cookie },
      { authorization: `Bearer ${attacker.token}` },
      { authorization: `Bearer ${victim.token}` }, // even the victim's token: a preview takes its cookie only
      {},
    ]) {
      const answer = await request(host, '/', headers);
      expect(answer.status, JSON.stringify(headers)).toBe(403);
      expect(answer.body).not.toContain('headers');
    }
  });

  it("refuses another learner's link to the ports API (404, as for no session)", async () => {
    const response = await fetch(`${server.url}/api/sessions/${victim.id}/ports/8080/open`, {
      method: 'POST',
      headers: { cookie: attacker.cookie },
    });
    expect(response.status).toBe(404);
  });

  it('refuses an expired link, a link for another port, and a tampered one', async () => {
    const store = Store.open(server.dataDir);
    const secret = store.serverSecret;
    store.close();
    const owner = await fetch(`${server.url}/api/sessions/${victim.id}`, {
      headers: { authorization: `Bearer ${victim.token}` },
    });
    expect(owner.status).toBe(200);
    const learner = (await link(victim, 8080, { cookie: victim.cookie })).match(/token=([^&]+)/)![1]!;
    const grant = JSON.parse(Buffer.from(learner.split('.')[0]!, 'base64url').toString()) as { l: string };
    const expired = signGrant(secret, 'preview-link', {
      s: victim.id,
      p: 8080,
      l: grant.l,
      e: Date.now() - 1,
    });
    expect((await request(hostOf(victim, 8080), `/__keiko/open?token=${expired}`)).status).toBe(403);
    const otherPort = new URL(await link(victim, 8081, { cookie: victim.cookie }));
    expect((await request(hostOf(victim, 8080), otherPort.pathname + otherPort.search)).status).toBe(403);
    expect((await request(hostOf(victim, 8080), `/__keiko/open?token=${learner}x`)).status).toBe(403);
  });

  it("never reaches the platform's own routes from a preview host", async () => {
    const cookie = await spend(await link(victim, 8080, { cookie: victim.cookie }));
    const health = await request(hostOf(victim, 8080), '/api/health', { cookie });
    // The learner's server answers (it echoes the path), not the platform's health route.
    expect(JSON.parse(health.body)).toMatchObject({ path: '/api/health' });
    const unauthenticated = await request(hostOf(victim, 8080), '/api/health', { cookie: victim.cookie });
    expect(unauthenticated.status).toBe(403);
    expect(unauthenticated.body).not.toContain('"ok"');
  });

  it('relays a WebSocket upgrade from the preview page itself, bytes both ways', async () => {
    const cookie = await spend(await link(victim, 8080, { cookie: victim.cookie }));
    const origin = `http://${hostOf(victim, 8080)}`;
    const echoed = await new Promise<string>((resolve, reject) => {
      const req = http.request({
        host: '127.0.0.1',
        port: server.port,
        path: '/ws',
        headers: {
          host: hostOf(victim, 8080),
          connection: 'Upgrade',
          upgrade: 'websocket',
          'sec-websocket-version': '13',
          'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==',
          cookie,
          origin,
        },
      });
      req.on('upgrade', (res, socket) => {
        expect(res.statusCode).toBe(101);
        expect(res.headers['sec-websocket-accept']).toBe('s3pPLMBiTxaQ9kYGzzhZRbK+xOo=');
        socket.once('data', (chunk: Buffer) => {
          socket.destroy();
          resolve(chunk.toString());
        });
        socket.write('ping through the relay');
      });
      req.on('response', (res) => reject(new Error(`answered ${res.statusCode}, not 101`)));
      req.on('error', reject);
      req.end();
    });
    expect(echoed).toBe('ping through the relay');
  });

  it('refuses a WebSocket upgrade without the cookie, or from another origin', async () => {
    const cookie = await spend(await link(victim, 8080, { cookie: victim.cookie }));
    const upgrade = (headers: Record<string, string>) =>
      new Promise<number>((resolve, reject) => {
        const req = http.request({
          host: '127.0.0.1',
          port: server.port,
          path: '/ws',
          headers: {
            host: hostOf(victim, 8080),
            connection: 'Upgrade',
            upgrade: 'websocket',
            'sec-websocket-version': '13',
            'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==',
            ...headers,
          },
        });
        req.on('response', (res) => resolve(res.statusCode ?? 0));
        req.on('upgrade', (res, socket) => {
          socket.destroy();
          resolve(res.statusCode ?? 101);
        });
        req.on('error', reject);
        req.end();
      });
    expect(await upgrade({})).toBe(403);
    expect(await upgrade({ cookie, origin: 'http://evil.example' })).toBe(403);
    expect(await upgrade({ cookie, origin: server.url })).toBe(403);
  });

  it('names preview hosts that the platform parses back to the session', () => {
    expect(parsePreviewHost(domain(), hostOf(victim, 8080))).toEqual({ sessionId: victim.id, port: 8080 });
  });
});
