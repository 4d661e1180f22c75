// The terminal WebSocket of a real server on the real engine: who may connect, what a flood of output
// does to the server's memory, and that a shell outlives its socket.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useServer } from '../../support/server';
import { rssMiB, TerminalClient } from '../../support/terminal-client';

/** The bound this test holds the server to while a shell floods its terminal. */
const FLOOD_RSS_GROWTH_LIMIT_MIB = 64;

const server = useServer('terminal');
let session: { id: string; token: string; terminalUrl: string };
let other: { id: string; token: string; terminalUrl: string };

async function createSession(): Promise<{ id: string; token: string; terminalUrl: string }> {
  const response = await fetch(`${server.url}/api/labs/terminal-demo/sessions`, { method: 'POST' });
  expect(response.status).toBe(201);
  return (await response.json()) as { id: string; token: string; terminalUrl: string };
}

beforeAll(async () => {
  [session, other] = await Promise.all([createSession(), createSession()]);
});
afterAll(async () => {
  for (const s of [session, other]) {
    if (s)
      await fetch(`${server.url}/api/sessions/${s.id}`, {
        method: 'DELETE',
        headers: { Authorization: `Bearer ${s.token}` },
      });
  }
});

describe('terminal socket', () => {
  it('the session object names a terminal URL with its token', () => {
    expect(session.terminalUrl).toBe(
      `ws://127.0.0.1:${server.port}/api/sessions/${session.id}/terminal?token=${session.token}`,
    );
  });

  it('refuses no token, a token for another session, and a foreign Origin', async () => {
    const url = `ws://127.0.0.1:${server.port}/api/sessions/${session.id}/terminal`;
    await expect(TerminalClient.open(url)).rejects.toThrow('refused with 401');
    await expect(TerminalClient.open(`${url}?token=${other.token}`)).rejects.toThrow('refused with 404');
    await expect(
      TerminalClient.open(session.terminalUrl, { headers: { Origin: 'http://evil.example' } }),
    ).rejects.toThrow('refused with 403');
    const ok = await TerminalClient.open(session.terminalUrl, {
      headers: { Origin: `http://127.0.0.1:${server.port}` },
    });
    await ok.close();
  });

  it(`yes for five seconds keeps the server within ${FLOOD_RSS_GROWTH_LIMIT_MIB} MiB of its memory and the socket alive`, async () => {
    for (const ack of [true, false]) {
      const client = await TerminalClient.open(
        `${other.terminalUrl}&terminal=flood${ack ? 'acked' : 'silent'}`,
        { ack },
      );
      const before = rssMiB(server.pid);
      client.type('yes\r');
      let peak = before;
      const until = Date.now() + 5_000;
      while (Date.now() < until) {
        peak = Math.max(peak, rssMiB(server.pid));
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(peak - before, `growth with acks ${ack ? 'on' : 'off'}`).toBeLessThan(
        FLOOD_RSS_GROWTH_LIMIT_MIB,
      );
      expect(client.bytes).toBeGreaterThan(ack ? 10_000_000 : 100_000); // output really flowed
      if (!ack) expect(client.bytes).toBeLessThan(8 * 1024 * 1024); // without acks the shell was paused
      client.type('\x03');
      // A client that stopped acknowledging holds its shell paused: it has to catch up to see more.
      client.ack = true;
      client.ws.send(JSON.stringify({ type: 'ack', bytes: client.bytes }));
      client.type('echo "DONE:$((2+3))"\r');
      await expect.poll(() => client.output, { timeout: 20_000 }).toMatch(/DONE:5/);
      expect(client.closeCode).toBeUndefined();
      await client.close();
    }
  });

  it('closing the socket does not end the shell: reconnecting finds it, with its output replayed', async () => {
    const url = `${session.terminalUrl}&terminal=keep`;
    const first = await TerminalClient.open(url);
    first.type('echo "PID:$$"\r');
    await expect.poll(() => first.output, { timeout: 10_000 }).toMatch(/PID:\d+/);
    const pid = /PID:(\d+)/.exec(first.output)![1];
    await first.close();
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const second = await TerminalClient.open(url);
    await expect.poll(() => second.output, { timeout: 10_000 }).toContain(`PID:${pid}`);
    second.type('echo "AGAIN:$$"\r');
    await expect.poll(() => second.output, { timeout: 10_000 }).toContain(`AGAIN:${pid}`);
    await second.close();
  });

  it('a second connection to the same terminal replaces the first, which is told why (4001)', async () => {
    const url = `${session.terminalUrl}&terminal=twice`;
    const first = await TerminalClient.open(url);
    const second = await TerminalClient.open(url);
    await expect.poll(() => first.closeCode, { timeout: 5_000 }).toBe(4001);
    await second.close();
  });

  it('stopping the session closes its terminals with 4004', async () => {
    const client = await TerminalClient.open(`${session.terminalUrl}&terminal=end`);
    client.type('echo hi\r');
    await expect.poll(() => client.output, { timeout: 10_000 }).toMatch(/hi/);
    const response = await fetch(`${server.url}/api/sessions/${session.id}`, {
      method: 'DELETE',
      headers: { Authorization: `Bearer ${session.token}` },
    });
    expect(response.status).toBe(204);
    await expect.poll(() => client.closeCode, { timeout: 10_000 }).toBe(4004);
  });
});
