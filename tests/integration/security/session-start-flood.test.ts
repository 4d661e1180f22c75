// Attack: a loop of anonymous POST /api/labs/{id}/sessions, each making two containers, with no cap
// per learner or in total; and two concurrent POSTs with one cookie, each starting a session.
// Defence: starts are admitted against the platform's limits (sandbox/limits.ts: live sessions in
// all, starts per client address per minute, concurrent starts with a bounded queue); over a limit
// the answer is 429 with Retry-After and a message naming the limit; concurrent starts of one learner
// for one lab are one session.
import { describe, expect, it } from 'vitest';
import { useServer } from '../../support/server';

const server = useServer('start-flood', {
  KEIKO_MAX_SESSIONS: '2',
});

const start = (cookie?: string) =>
  fetch(`${server.url}/api/labs/example-files/sessions`, {
    method: 'POST',
    headers: cookie ? { Cookie: cookie } : {},
  });

describe('a flood of session starts', () => {
  it('two concurrent starts with one cookie make one session: 201 and 200 with the same id', async () => {
    const first = await fetch(`${server.url}/api/labs`); // any page gives no identity; the first start does
    expect(first.status).toBe(200);
    const identity = await start();
    expect(identity.status).toBe(201);
    const cookie = (identity.headers.get('set-cookie') ?? '').split(';')[0]!;
    const { id } = (await identity.json()) as { id: string };
    await fetch(`${server.url}/api/sessions/${id}`, { method: 'DELETE', headers: { Cookie: cookie } });

    const [a, b] = await Promise.all([start(cookie), start(cookie)]);
    expect([a.status, b.status].sort()).toEqual([200, 201]);
    const [sa, sb] = (await Promise.all([a.json(), b.json()])) as { id: string }[];
    expect(sa!.id).toBe(sb!.id);
  });

  it('past the live-session limit a new learner gets 429 with Retry-After and the limit named', async () => {
    const second = await start();
    expect(second.status).toBe(201);
    const third = await start();
    expect(third.status).toBe(429);
    expect(Number(third.headers.get('retry-after'))).toBeGreaterThan(0);
    const body = (await third.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('too_many_requests');
    expect(body.error.message).toMatch(/limit of 2 lab sessions/);
  });
});
