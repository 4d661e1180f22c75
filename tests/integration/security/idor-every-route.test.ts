// Attack: act on another learner's session by its id (IDOR): with one's own valid token or cookie,
// with no credentials, or with a forged token, on every route that takes a session id.
// Defence: every session route authorizes the session by its owner's cookie or its own token first,
// and answers anything else exactly as it answers a session that does not exist (404), before it
// touches the sandbox.
import { beforeAll, describe, expect, it } from 'vitest';
import { useServer } from '../../support/server';

const server = useServer('idor');
type Session = { id: string; token: string };
let victim: Session;
let attacker: Session & { cookie: string };

beforeAll(async () => {
  const start = async () => {
    const response = await fetch(`${server.url}/api/labs/example-files/sessions`, { method: 'POST' });
    return {
      ...((await response.json()) as Session),
      cookie: (response.headers.get('set-cookie') ?? '').split(';')[0]!,
    };
  };
  [victim, attacker] = await Promise.all([start(), start()]);
});

const FILE = encodeURIComponent('/home/learner/app/greeting.txt');
const routes = (id: string): [string, string][] => [
  ['GET', `/api/sessions/${id}`],
  ['DELETE', `/api/sessions/${id}`],
  ['POST', `/api/sessions/${id}/steps/greeting/check`],
  ['POST', `/api/sessions/${id}/steps/greeting/solve`],
  ['GET', `/api/sessions/${id}/files?path=${FILE}`],
  ['PUT', `/api/sessions/${id}/files?path=${FILE}`],
  ['POST', `/api/sessions/${id}/files/config-test?path=${FILE}`],
  ['GET', `/api/sessions/${id}/ports`],
  ['POST', `/api/sessions/${id}/ports/8080/open`],
  ['GET', `/api/sessions/${id}/events`],
];

describe('another learner’s session, on every session route', () => {
  const credentials: [string, () => Record<string, string>][] = [
    ["the attacker's own token", () => ({ Authorization: `Bearer ${attacker.token}` })],
    ["the attacker's own cookie", () => ({ Cookie: attacker.cookie })],
    ['no credentials', () => ({})],
    [
      "the victim's token with its signature changed",
      () => ({ Authorization: `Bearer ${victim.token.slice(0, -2)}xx` }),
    ],
  ];
  for (const [who, headers] of credentials) {
    it(`answers 404 to ${who}, and the victim's session is untouched`, async () => {
      for (const [method, url] of routes(victim.id)) {
        const response = await fetch(`${server.url}${url}`, {
          method,
          headers: headers(),
          body: method === 'PUT' ? 'hijacked\n' : undefined,
        });
        expect(response.status, `${method} ${url}`).toBe(404);
        expect(((await response.json()) as { error: { code: string } }).error.code).toBe('not_found');
      }
      const own = await fetch(`${server.url}/api/sessions/${victim.id}/files?path=${FILE}`, {
        headers: { Authorization: `Bearer ${victim.token}` },
      });
      expect(own.status).toBe(200);
      expect(await own.text()).not.toBe('hijacked\n');
    });
  }
});
