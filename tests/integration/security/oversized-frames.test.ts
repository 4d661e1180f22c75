// Attack: send the terminal one enormous WebSocket frame (or announce one), so the server buffers it
// whole before looking at it; or send an input message longer than any keystroke burst.
// Defence: the WebSocket server refuses frames over 256 KiB as they are announced (close 1009, nothing
// buffered), and an input message over 64 Ki characters is a protocol error (close 4008); the server
// and the session's other terminals carry on (platform/terminal-gateway.ts).
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { CRASH_IN_LOG } from '../../support/raw-http';
import { useServer } from '../../support/server';
import { TerminalClient } from '../../support/terminal-client';

const server = useServer('frames');
let session: { id: string; token: string; terminalUrl: string };

beforeAll(async () => {
  const response = await fetch(`${server.url}/api/labs/terminal-demo/sessions`, { method: 'POST' });
  session = (await response.json()) as { id: string; token: string; terminalUrl: string };
});
afterAll(async () => {
  if (session)
    await fetch(`${server.url}/api/sessions/${session.id}`, {
      method: 'DELETE',
      headers: { Authorization: `Bearer ${session.token}` },
    });
});

function closeCode(ws: WebSocket): Promise<number> {
  return new Promise((resolve) => ws.once('close', (code) => resolve(code)));
}

describe('oversized frames', () => {
  it('a frame over 256 KiB closes with 1009, one announced as 8 EiB too, and an over-long input with 4008', async () => {
    const big = new WebSocket(`${session.terminalUrl}&terminal=big`);
    await new Promise((resolve) => big.once('open', resolve));
    big.on('error', () => {});
    const bigClosed = closeCode(big);
    big.send(JSON.stringify({ type: 'input', data: 'x'.repeat(1024 * 1024) }));
    expect(await bigClosed).toBe(1009);

    const liar = new WebSocket(`${session.terminalUrl}&terminal=liar`);
    await new Promise((resolve) => liar.once('open', resolve));
    liar.on('error', () => {});
    const liarClosed = closeCode(liar);
    // A frame header announcing 2^63-1 bytes, and nothing after it.
    const raw = (liar as unknown as { _socket: net.Socket })._socket;
    raw.write(Buffer.from([0x81, 0x80 | 127, 0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 1, 2, 3, 4]));
    expect(await liarClosed).toBe(1009);

    const long = new WebSocket(`${session.terminalUrl}&terminal=long`);
    await new Promise((resolve) => long.once('open', resolve));
    const longClosed = closeCode(long);
    long.send(JSON.stringify({ type: 'input', data: 'x'.repeat(64 * 1024 + 1) }));
    expect(await longClosed).toBe(4008);

    const fine = await TerminalClient.open(`${session.terminalUrl}&terminal=fine`);
    fine.type('echo "STILL:$((3*3))"\r');
    await expect.poll(() => fine.output, { timeout: 15_000 }).toMatch(/STILL:9/);
    await fine.close();
    expect(server.logs()).not.toMatch(CRASH_IN_LOG);
  });
});
