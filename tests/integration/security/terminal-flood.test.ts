// Attack: exhaust the server's memory through one terminal. The client runs `yes`, never reads its
// socket, and tells the server it has processed 10^15 bytes (`{"type":"ack","bytes":1e15}`), which
// unblocked the landed flow control, so output piled up in the server's socket buffers without end;
// at the same time it floods input faster than the shell reads it, which was written to the shell's
// stream regardless of backpressure.
// Defence: acknowledgements count only bytes that really left the server; output pauses while the
// socket's own buffer is full; input waits for the shell's stream to drain (the socket is not read
// meanwhile), so the server's memory stays bounded (sandbox/terminal/shell-hub.ts,
// platform/terminal-gateway.ts).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { CRASH_IN_LOG } from '../../support/raw-http';
import { useServer } from '../../support/server';
import { rssMiB, TerminalClient } from '../../support/terminal-client';

/**
 * The bound this test holds the server to. Measured on a loaded 2-core machine: 23 MiB of growth over
 * 8 s with these defences, 63 MiB over the same 8 s (and rising) with the landed flow control.
 */
const RSS_GROWTH_LIMIT_MIB = 48;
const FLOOD_MS = 12_000;

const server = useServer('flood');
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

describe('a terminal client that never reads', () => {
  it(`flooding output and input both ways keeps the server within ${RSS_GROWTH_LIMIT_MIB} MiB`, async () => {
    const ws = new WebSocket(`${session.terminalUrl}&terminal=flood`);
    await new Promise((resolve, reject) => {
      ws.once('open', resolve);
      ws.once('error', reject);
    });
    ws.on('error', () => {});
    ws.send(JSON.stringify({ type: 'input', data: 'yes\r' }));
    await new Promise((resolve) => setTimeout(resolve, 500));
    // From now on this client reads nothing: the server's writes to it back up.
    const raw = (ws as unknown as { _socket: import('node:net').Socket })._socket;
    raw.pause();
    const before = rssMiB(server.pid);
    let peak = before;
    const chunk = JSON.stringify({ type: 'input', data: 'x'.repeat(60_000) });
    const lie = JSON.stringify({ type: 'ack', bytes: 1e15 });
    let sentInput = 0;
    const until = Date.now() + FLOOD_MS;
    while (Date.now() < until) {
      // Keep as much as the kernel takes in flight toward the server, and no more in this process.
      while (raw.writableLength < 4 * 1024 * 1024 && Date.now() < until) {
        ws.send(lie);
        ws.send(chunk);
        sentInput += chunk.length;
      }
      peak = Math.max(peak, rssMiB(server.pid));
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    peak = Math.max(peak, rssMiB(server.pid));
    expect(sentInput).toBeGreaterThan(1_000_000); // the flood was real
    expect(peak - before, 'server memory growth, MiB').toBeLessThan(RSS_GROWTH_LIMIT_MIB);
    ws.terminate();

    // The server still serves the session: another terminal of it answers at once.
    const honest = await TerminalClient.open(`${session.terminalUrl}&terminal=after`);
    honest.type('echo "ALIVE:$((6*7))"\r');
    await expect.poll(() => honest.output, { timeout: 30_000 }).toMatch(/ALIVE:42/);
    await honest.close();
    expect(server.logs()).not.toMatch(CRASH_IN_LOG);
  });
});
