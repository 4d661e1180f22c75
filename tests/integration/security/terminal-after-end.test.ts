// Attack: keep typing into a terminal while its session is being stopped (or expires), so that frames
// arrive after the session ended. On the landed code the input handler refreshed the session's idle
// clock on a session that no longer existed, and the exception escaped the WebSocket message handler
// (an uncaught exception per frame, from any learner).
// Defence: frames that arrive after a session ended, or after the socket began closing, are dropped
// quietly; the client gets the documented close code 4004 (sandbox/terminal/shell-hub.ts).
import { describe, expect, it } from 'vitest';
import { CRASH_IN_LOG } from '../../support/raw-http';
import { useServer } from '../../support/server';
import { TerminalClient } from '../../support/terminal-client';

const server = useServer('after-end');

describe('terminal input after its session ended', () => {
  it('is dropped quietly: the client gets 4004 and the server logs no exception', async () => {
    const response = await fetch(`${server.url}/api/labs/terminal-demo/sessions`, { method: 'POST' });
    const session = (await response.json()) as { id: string; token: string; terminalUrl: string };
    const client = await TerminalClient.open(session.terminalUrl);
    client.type('echo ready\r');
    await expect.poll(() => client.output, { timeout: 10_000 }).toMatch(/ready/);
    // Type without pause while the session is stopped, and keep typing after it.
    const typing = setInterval(() => {
      if (client.ws.readyState === client.ws.OPEN) client.type('x');
    }, 2);
    try {
      const stopped = await fetch(`${server.url}/api/sessions/${session.id}`, {
        method: 'DELETE',
        headers: { Authorization: `Bearer ${session.token}` },
      });
      expect(stopped.status).toBe(204);
      await expect.poll(() => client.closeCode, { timeout: 10_000 }).toBe(4004);
    } finally {
      clearInterval(typing);
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(server.logs()).not.toMatch(CRASH_IN_LOG);
  });
});
