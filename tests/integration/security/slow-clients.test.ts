// Attack (slowloris): open many connections and send each request, or each WebSocket upgrade, one byte
// a second, so the server keeps every one of them open and has none left for learners; or start a
// WebSocket frame and never finish it.
// Defence: the custom server gives a client 10 s for its headers (checked every second) and 60 s for
// its whole request, then answers 408 and closes; a slow client holds its own socket and nothing else,
// so every other request is answered at once meanwhile (cli/commands/serve.ts).
import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { CRASH_IN_LOG } from '../../support/raw-http';
import { useServer } from '../../support/server';
import { TerminalClient } from '../../support/terminal-client';

const server = useServer('slow');

/** A connection that sends `start`, then one more byte of `drip` a second, until the server closes it. */
function dripping(start: string, drip: string) {
  const socket = net.connect(server.port, '127.0.0.1');
  const state = { closedAfterMs: undefined as number | undefined, answer: '' };
  const opened = Date.now();
  socket.on('data', (chunk) => (state.answer += chunk.toString()));
  socket.on('error', () => {});
  socket.on('close', () => {
    state.closedAfterMs = Date.now() - opened;
    clearInterval(timer);
  });
  socket.write(start);
  let i = 0;
  const timer = setInterval(() => {
    if (!socket.destroyed) socket.write(drip[i++ % drip.length]!);
  }, 1_000);
  return { state, stop: () => (clearInterval(timer), socket.destroy()) };
}

describe('slow clients', () => {
  it('requests and upgrades sent a byte a second hold only their own sockets, and are cut after 10 s', async () => {
    const host = `Host: 127.0.0.1:${server.port}\r\n`;
    const slow = [
      ...Array.from({ length: 30 }, () =>
        dripping(`GET /api/labs HTTP/1.1\r\n${host}`, 'X-Slow: aaaaaaaa\r\n'),
      ),
      ...Array.from({ length: 10 }, () =>
        dripping(
          `GET /api/sessions/s_x/terminal HTTP/1.1\r\n${host}Upgrade: websocket\r\nConnection: Upgrade\r\n`,
          'X-Slow: aaaaaaaa\r\n',
        ),
      ),
    ];
    try {
      // Meanwhile everyone else is answered at once.
      for (let i = 0; i < 5; i++) {
        await new Promise((resolve) => setTimeout(resolve, 1_000));
        const started = Date.now();
        const response = await fetch(`${server.url}/api/labs`);
        expect(response.status).toBe(200);
        expect(Date.now() - started).toBeLessThan(2_000);
      }
      await expect
        .poll(() => slow.filter((s) => s.state.closedAfterMs === undefined).length, { timeout: 15_000 })
        .toBe(0);
      for (const s of slow) {
        expect(s.state.closedAfterMs!).toBeLessThan(13_000);
        expect(s.state.answer).toMatch(/^HTTP\/1\.1 408 /);
      }
    } finally {
      for (const s of slow) s.stop();
    }
    expect(server.logs()).not.toMatch(CRASH_IN_LOG);
  });

  it('a WebSocket frame sent a byte a second holds its own socket only', async () => {
    const response = await fetch(`${server.url}/api/labs/terminal-demo/sessions`, { method: 'POST' });
    const session = (await response.json()) as { id: string; token: string; terminalUrl: string };
    const ws = new WebSocket(`${session.terminalUrl}&terminal=slow`);
    await new Promise((resolve) => ws.once('open', resolve));
    const raw = (ws as unknown as { _socket: net.Socket })._socket;
    // A masked text frame header announcing 100 bytes, then its bytes one a second.
    raw.write(Buffer.from([0x81, 0x80 | 100, 1, 2, 3, 4]));
    const drip = setInterval(() => raw.write(Buffer.from([0x20])), 1_000);
    try {
      const other = await TerminalClient.open(`${session.terminalUrl}&terminal=other`);
      other.type('echo "FAST:$((1+1))"\r');
      await expect.poll(() => other.output, { timeout: 15_000 }).toMatch(/FAST:2/);
      await other.close();
      expect((await fetch(`${server.url}/api/labs`)).status).toBe(200);
    } finally {
      clearInterval(drip);
      ws.terminate();
      await fetch(`${server.url}/api/sessions/${session.id}`, {
        method: 'DELETE',
        headers: { Authorization: `Bearer ${session.token}` },
      });
    }
  });
});
