// Attack: open another learner's shell. A learner (or a page of another site, which carries the
// victim's cookie) connects to a terminal URL with their own cookie, another session's token, no
// credentials at all, or a foreign Origin.
// Defence: the upgrade is decided before any Docker call: no credentials 401, a foreign Origin 403,
// another learner's cookie or another session's token 404 (platform/terminal-gateway.ts). A shell is
// only ever opened for the session's own token or its owner's cookie from one of this server's origins.
import { beforeAll, describe, expect, it } from 'vitest';
import { useServer } from '../../support/server';
import { TerminalClient } from '../../support/terminal-client';

const server = useServer('hijack');
type Started = { id: string; token: string; terminalUrl: string; cookie: string };
let victim: Started;
let attacker: Started;

async function startAsNewLearner(): Promise<Started> {
  const response = await fetch(`${server.url}/api/labs/terminal-demo/sessions`, { method: 'POST' });
  expect(response.status).toBe(201);
  const cookie = (response.headers.get('set-cookie') ?? '').split(';')[0]!;
  return { ...((await response.json()) as Omit<Started, 'cookie'>), cookie };
}

beforeAll(async () => {
  [victim, attacker] = await Promise.all([startAsNewLearner(), startAsNewLearner()]);
});

describe("another learner's terminal", () => {
  it('refuses their cookie, their token, no credentials and a foreign Origin; never a shell', async () => {
    const bare = `ws://127.0.0.1:${server.port}/api/sessions/${victim.id}/terminal`;
    const own = { Origin: server.url };
    await expect(TerminalClient.open(bare, { headers: own })).rejects.toThrow('refused with 401');
    await expect(TerminalClient.open(bare, { headers: { ...own, Cookie: attacker.cookie } })).rejects.toThrow(
      'refused with 404',
    );
    await expect(TerminalClient.open(`${bare}?token=${attacker.token}`)).rejects.toThrow('refused with 404');
    await expect(TerminalClient.open(`${bare}?token=${victim.token.slice(0, -2)}xx`)).rejects.toThrow(
      'refused with 404',
    );
    // A page of another site carries the victim's own cookie: refused for its Origin.
    await expect(
      TerminalClient.open(bare, { headers: { Origin: 'https://evil.example', Cookie: victim.cookie } }),
    ).rejects.toThrow('refused with 403');
    // The owner's cookie from this server's page, and the token, do open it.
    const mine = await TerminalClient.open(bare, { headers: { ...own, Cookie: victim.cookie } });
    await mine.close();
    const tokened = await TerminalClient.open(victim.terminalUrl);
    await tokened.close();
  });
});
