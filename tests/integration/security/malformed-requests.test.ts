// Attack: send the server what no well-behaved client would (a cookie that is not percent-encoding,
// a request target that is not a path, an upgrade to nowhere, a broken handshake, garbage instead of
// HTTP, oversized headers), hoping for a crash, an uncaught exception that takes the process down, or
// a socket left hanging until the client gives up (each one a slot an attacker keeps).
// Defence: the custom server answers every one of them with a plain 4xx and closes the socket; nothing
// thrown while deciding an upgrade, a WebSocket message or a timer escapes (cli/commands/serve.ts,
// platform/terminal-gateway.ts, platform/http-boundary.ts).
import { beforeAll, describe, expect, it } from 'vitest';
import { CRASH_IN_LOG, rawRequest, upgradeRequest } from '../../support/raw-http';
import { useServer } from '../../support/server';

const server = useServer('malformed');
let session: { id: string; token: string };

beforeAll(async () => {
  const response = await fetch(`${server.url}/api/labs/terminal-demo/sessions`, { method: 'POST' });
  session = (await response.json()) as { id: string; token: string };
});

describe('malformed requests and upgrades', () => {
  it('every one gets a 4xx (never a 5xx) and a closed socket within a second, and the log stays clean', async () => {
    const port = server.port;
    const terminal = `/api/sessions/${session?.id}/terminal`;
    const battery: [string, string | Buffer][] = [
      ['cookie that is not percent-encoding', upgradeRequest(terminal, port, 'Cookie: keiko_learner=%\r\n')],
      [
        'cookie with a broken escape',
        upgradeRequest('/api/sessions/x/terminal', port, 'Cookie: keiko_learner=%E0%A4%A\r\n'),
      ],
      ['request target that is not a path', upgradeRequest('//a:99999/', port)],
      [
        'request target with a bad port, terminal-shaped',
        upgradeRequest('//a:99999/api/sessions/x/terminal', port),
      ],
      ['absolute-form target', upgradeRequest('http://[::1/api/sessions/x/terminal', port)],
      ['upgrade to no WebSocket endpoint', upgradeRequest('/api/health', port)],
      ['upgrade to a page', upgradeRequest('/courses/nowhere', port)],
      [
        'upgrade that is not WebSocket',
        upgradeRequest(terminal, port, `Authorization: x\r\n`).replace('Upgrade: websocket', 'Upgrade: h2c'),
      ],
      [
        'handshake with a broken key',
        upgradeRequest(`${terminal}?token=${session?.token}`, port).replace('dGhlIHNhbXBsZSBub25jZQ==', '!!'),
      ],
      [
        'handshake with an unknown version',
        upgradeRequest(`${terminal}?token=${session?.token}`, port).replace('Version: 13', 'Version: 99'),
      ],
      ['terminal query out of range', upgradeRequest(`${terminal}?token=x&cols=1e999&rows=-1`, port)],
      ['terminal key with odd characters', upgradeRequest(`${terminal}?token=x&terminal=%00%ff`, port)],
      ['unknown Host on an upgrade', upgradeRequest(terminal, port, '', 'attacker.example')],
      ['no Host at all', `GET /api/health HTTP/1.1\r\n\r\n`],
      ['unknown Host on a request', `GET /api/health HTTP/1.1\r\nHost: attacker.example\r\n\r\n`],
      [
        'plain request to //a:99999/',
        `GET //a:99999/ HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nConnection: close\r\n\r\n`,
      ],
      [
        'percent garbage in a route parameter',
        `GET /api/sessions/%/files?path=% HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nConnection: close\r\n\r\n`,
      ],
      [
        'percent garbage in a lab id',
        `POST /api/labs/%E0%A4%A/sessions HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n`,
      ],
      [
        'bearer token that is garbage',
        `GET /api/sessions/${session?.id} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nAuthorization: Bearer %%%\r\nCookie: keiko_learner=%\r\nConnection: close\r\n\r\n`,
      ],
      [
        'file path that is not absolute',
        `GET /api/sessions/${session?.id}/files?path=..%2F..%2Fetc HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nAuthorization: Bearer ${session?.token}\r\nConnection: close\r\n\r\n`,
      ],
      [
        'garbage instead of HTTP',
        Buffer.from([0x16, 0x03, 0x01, 0x00, 0xff, 0x01, 0x00, 0x0d, 0x0a, 0x0d, 0x0a]),
      ],
      ['request line without a version', 'GET /\r\n\r\n'],
      ['header without a colon', `GET / HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nnonsense\r\n\r\n`],
      [
        'headers over the size limit',
        `GET / HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nX-Big: ${'a'.repeat(70_000)}\r\n\r\n`,
      ],
      [
        'a body longer than announced',
        `POST /api/labs/terminal-demo/sessions HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nContent-Length: 2\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n`,
      ],
    ];
    const results: string[] = [];
    for (const [name, bytes] of battery) {
      const answer = await rawRequest(port, bytes, 1_000);
      const ok = answer.closed && answer.status !== undefined && answer.status >= 400 && answer.status < 500;
      if (!ok)
        results.push(
          `${name}: status ${answer.status ?? 'none'}, ${answer.closed ? 'closed' : 'still open'} after ${answer.ms} ms`,
        );
    }
    expect(results).toEqual([]);
    // The server is still up and sane.
    expect((await fetch(`${server.url}/api/labs`)).status).toBe(200);
    expect(server.logs()).not.toMatch(CRASH_IN_LOG);
  });

  it('the routes this wave added answer bad input with a 4xx that names the problem, and nothing is thrown', async () => {
    const auth = { Authorization: `Bearer ${session.token}` };
    const open = (port: string, body?: string) =>
      fetch(`${server.url}/api/sessions/${session.id}/ports/${port}/open`, {
        method: 'POST',
        headers: { ...auth, 'content-type': 'application/json' },
        body,
      });
    const answers: [string, Response, number, string][] = [
      ['port 0', await open('0'), 400, 'bad_port'],
      ['port 70000', await open('70000'), 400, 'bad_port'],
      ['a port that is not a number', await open('http'), 400, 'bad_port'],
      ['a body that is not JSON', await open('8080', '{"tls": tru'), 400, 'invalid_request'],
      [
        'a body with an unknown field',
        await open('8080', '{"tls": true, "host": "10.0.0.1"}'),
        422,
        'invalid_request',
      ],
      ['a body of the wrong type', await open('8080', '{"tls": "yes"}'), 422, 'invalid_request'],
      [
        'a step that does not exist',
        await fetch(`${server.url}/api/sessions/${session.id}/steps/%00nope/check`, {
          method: 'POST',
          headers: auth,
        }),
        404,
        'step_not_found',
      ],
    ];
    for (const [what, response, status, code] of answers) {
      expect(response.status, what).toBe(status);
      const body = (await response.json()) as { error: { code: string; message: string } };
      expect(body.error.code, what).toBe(code);
      expect(body.error.message.length, what).toBeGreaterThan(10);
    }
    // The event stream of a session the caller may not see is a 404 like every session route.
    expect((await fetch(`${server.url}/api/sessions/s_nope/events`, { headers: auth })).status).toBe(404);
    expect(server.logs()).not.toMatch(CRASH_IN_LOG);
  });
});
