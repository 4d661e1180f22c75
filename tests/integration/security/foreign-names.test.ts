// Attack (DNS rebinding): a page at attacker.example makes its own name resolve to 127.0.0.1, then
// talks to the platform on the learner's machine as if it were its own origin: the browser sends
// `Host: attacker.example:3000` and an `Origin` of the attacker's, and same-origin checks that only
// compare the two pass. The reverse also broke learners: the server prints that it is bound to
// 127.0.0.1:3000, but a browser that opened http://127.0.0.1:3000 had its terminal refused (403
// foreign Origin) and was sent to ws://localhost:3000 in the session's terminalUrl.
// Defence: the server answers only to its own names (the public URL's, and localhost, 127.0.0.1 and
// [::1] on its port while it listens on loopback): any other Host gets 421 on every request and
// upgrade; the terminal accepts exactly those Origins; terminalUrl names the origin the page used
// (platform/server-names.ts, platform/http-boundary.ts, app/_lib/same-origin.server.ts).
import { describe, expect, it } from 'vitest';
import { rawRequest, upgradeRequest } from '../../support/raw-http';
import { useServer } from '../../support/server';
import { TerminalClient } from '../../support/terminal-client';

const server = useServer('names', {
  KEIKO_PUBLIC_URL: '', // the default, http://localhost:<port>, as `npm run up` serves it
});

describe("the server's own names", () => {
  it('a browser at http://127.0.0.1:<port> gets a terminal URL of that origin, and the terminal opens', async () => {
    const page = `http://127.0.0.1:${server.port}`;
    const response = await fetch(`${page}/api/labs/terminal-demo/sessions`, {
      method: 'POST',
      headers: { Origin: page, 'Sec-Fetch-Site': 'same-origin' },
    });
    expect(response.status).toBe(201);
    const session = (await response.json()) as { id: string; token: string; terminalUrl: string };
    expect(session.terminalUrl).toBe(
      `ws://127.0.0.1:${server.port}/api/sessions/${session.id}/terminal?token=${session.token}`,
    );
    const cookie = (response.headers.get('set-cookie') ?? '').split(';')[0]!;
    const bare = `ws://127.0.0.1:${server.port}/api/sessions/${session.id}/terminal`;
    for (const origin of [page, `http://localhost:${server.port}`]) {
      const client = await TerminalClient.open(bare, { headers: { Origin: origin, Cookie: cookie } });
      await client.close();
    }
    const viaLocalhost = await rawRequest(
      server.port,
      `GET /api/sessions/${session.id} HTTP/1.1\r\nHost: localhost:${server.port}\r\n` +
        `Authorization: Bearer ${session.token}\r\nConnection: close\r\n\r\n`,
      5_000,
    );
    expect(viaLocalhost.status).toBe(200);
    expect(viaLocalhost.text).toContain(
      `"terminalUrl":"ws://localhost:${server.port}/api/sessions/${session.id}/`,
    );
  });

  it('a rebinding page (Host: attacker.example) is refused on requests and upgrades alike', async () => {
    const port = server.port;
    for (const host of [`attacker.example:${port}`, 'attacker.example', `127.0.0.1:${port + 1}`]) {
      const request = await rawRequest(
        port,
        `GET /api/labs HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`,
      );
      expect(request.status, host).toBe(421);
      expect(request.text).toMatch(/"code":"unknown_host"/);
      const post = await rawRequest(
        port,
        `POST /api/labs/terminal-demo/sessions HTTP/1.1\r\nHost: ${host}\r\nOrigin: http://${host}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n`,
      );
      expect(post.status, host).toBe(421);
      const upgrade = await rawRequest(
        port,
        upgradeRequest('/api/sessions/x/terminal?token=y', port, `Origin: http://${host}\r\n`, host),
      );
      expect(upgrade.status, host).toBe(421);
      expect(upgrade.closed).toBe(true);
    }
  });

  it('the terminal refuses an Origin that is not one of its names', async () => {
    const response = await fetch(`${server.url}/api/labs/terminal-demo/sessions`, { method: 'POST' });
    const session = (await response.json()) as { terminalUrl: string };
    for (const origin of ['http://evil.example', `http://localhost:${server.port + 1}`, 'null']) {
      await expect(TerminalClient.open(session.terminalUrl, { headers: { Origin: origin } })).rejects.toThrow(
        'refused with 403',
      );
    }
  });
});
