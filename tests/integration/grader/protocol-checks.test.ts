// The sequence, parallel, JSON, cookie, WebSocket and DNS checks against real servers started in
// real sandboxes: a Bottle app (cheroot and wsgiref), a WebSocket echo server, and BIND.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CheckSchema } from '@/grader';
import { runCheck } from '@/grader';
import { readProbeScripts } from '@/grader';
import { labImageTag } from '@/sandbox';
import { PROJECT_ROOT } from '../../support/cli';
import { sandboxFixture, startLab, type SandboxFixture } from '../../support/sandbox';

const SERVERS = path.join(PROJECT_ROOT, 'tests', 'fixtures', 'servers');
const probeScripts = readProbeScripts(PROJECT_ROOT);

let fixture: SandboxFixture;
let bottleLab: string;
let dnsLab: string;

const inLab = (sessionId: string, script: string, stdin?: string) =>
  fixture.manager.exec(sessionId, { argv: ['bash', '-c', script], ...(stdin ? { stdin } : {}) });

async function copyServer(sessionId: string, file: string): Promise<void> {
  const copied = await inLab(
    sessionId,
    `cat > /tmp/${file}`,
    fs.readFileSync(path.join(SERVERS, file), 'utf8'),
  );
  expect(copied.exitCode, copied.stderr).toBe(0);
}

const waitFor = (ports: number[]) =>
  ports
    .map((port) => `until (exec 3<>/dev/tcp/127.0.0.1/${port}) 2>/dev/null; do sleep 0.1; done`)
    .join('\n');

function check(sessionId: string, definition: unknown) {
  return runCheck(CheckSchema.parse(definition), fixture.manager, sessionId, probeScripts);
}

beforeAll(async () => {
  fixture = sandboxFixture();
  [bottleLab, dnsLab] = await Promise.all([
    startLab(fixture).then((session) => session.id),
    startLab(fixture, undefined, labImageTag('dns')).then((session) => session.id),
  ]);
  await copyServer(bottleLab, 'protocol_app.py');
  await copyServer(bottleLab, 'ws_echo.py');
  const started = await inLab(
    bottleLab,
    [
      'cd /tmp',
      'setsid nohup python3 protocol_app.py 8080 cheroot > cheroot.log 2>&1 < /dev/null &',
      'setsid nohup python3 protocol_app.py 8081 wsgiref > wsgiref.log 2>&1 < /dev/null &',
      'setsid nohup python3 ws_echo.py 9001 > echo.log 2>&1 < /dev/null &',
      'setsid nohup python3 ws_echo.py 9002 --refuse > refuse.log 2>&1 < /dev/null &',
      waitFor([8080, 8081, 9001, 9002]),
    ].join('\n'),
  );
  expect(started.exitCode, started.stderr).toBe(0);
  const zone = fs.readFileSync(
    path.join(PROJECT_ROOT, 'tests', 'fixtures', 'dig', 'zone', 'db.example.test'),
    'utf8',
  );
  const conf = fs.readFileSync(
    path.join(PROJECT_ROOT, 'tests', 'fixtures', 'dig', 'zone', 'named.conf'),
    'utf8',
  );
  await inLab(dnsLab, 'cat > /home/learner/dns/db.example.test', zone);
  await inLab(dnsLab, 'cat > /home/learner/dns/named.conf', conf);
  const named = await inLab(
    dnsLab,
    `cd /home/learner/dns && (setsid nohup named -g -c named.conf > named.log 2>&1 < /dev/null &) && ${waitFor([5354])}`,
  );
  expect(named.exitCode, named.stderr).toBe(0);
}, 180_000);
afterAll(() => fixture?.dispose());

describe('sequence: requests sharing a cookie jar', () => {
  it('passes when a signed visit counter counts across requests and a forged cookie is not trusted', async () => {
    const result = await check(bottleLab, {
      sequence: {
        requests: [
          {
            url: 'http://127.0.0.1:8080/visits',
            expect: {
              bodyContains: 'visit 1',
              setsCookie: { name: 'visits', httpOnly: true, sameSite: 'Lax' },
            },
          },
          { url: 'http://127.0.0.1:8080/visits', expect: { bodyContains: 'visit 2' } },
          {
            url: 'http://127.0.0.1:8080/visits',
            tamperCookie: 'visits',
            expect: { bodyContains: 'visit 1' },
          },
          { url: 'http://127.0.0.1:8080/visits', expect: { bodyContains: 'visit 3' } },
        ],
      },
    });
    expect(result.passed, result.message).toBe(true);
    expect(result.command).toContain('-b jar.txt -c jar.txt');
  });

  it('fails naming the request whose answer was wrong, with its evidence', async () => {
    const result = await check(bottleLab, {
      name: 'the counter',
      sequence: {
        requests: [
          { url: 'http://127.0.0.1:8080/visits', expect: { bodyContains: 'visit 1' } },
          { url: 'http://127.0.0.1:8080/visits', expect: { bodyContains: 'visit 5' } },
        ],
      },
    });
    expect(result.passed).toBe(false);
    expect(result.message).toBe('the counter: request 2 (GET /visits): the body does not contain "visit 5".');
    expect(result.evidence).toContain('visit 2');
  });

  it('fails when asked to forge a cookie the server never set', async () => {
    const result = await check(bottleLab, {
      sequence: {
        requests: [{ url: 'http://127.0.0.1:8080/api/user', tamperCookie: 'session', expect: {} }],
      },
    });
    expect(result.passed).toBe(false);
    expect(result.message).toMatch(/not given a cookie named "session"/);
  });

  it('fails a cookie flag the response does not set', async () => {
    const result = await check(bottleLab, {
      http: { url: 'http://127.0.0.1:8080/visits', expect: { setsCookie: { name: 'visits', secure: true } } },
    });
    expect(result.passed).toBe(false);
    expect(result.message).toMatch(/the cookie "visits" is not Secure/);
  });
});

describe('http: JSON paths, headers and the Location header', () => {
  it('passes values and types at JSON paths', async () => {
    const result = await check(bottleLab, {
      http: {
        url: 'http://127.0.0.1:8080/api/user',
        expect: {
          contentType: 'application/json',
          json: [
            { path: '$.user.name', equals: 'ada' },
            { path: '$.user.roles', equals: ['admin', 'dev'] },
            { path: '$.count', type: 'integer' },
            { path: '$.password', exists: false },
          ],
        },
      },
    });
    expect(result.passed, result.message).toBe(true);
  });

  it('fails saying which value is wrong and which is missing', async () => {
    const result = await check(bottleLab, {
      name: 'the user',
      http: {
        url: 'http://127.0.0.1:8080/api/user',
        expect: {
          json: [
            { path: '$.user.name', equals: 'grace' },
            { path: '$.user.email', type: 'string' },
          ],
        },
      },
    });
    expect(result.message).toBe(
      'the user: $.user.name is "ada", not "grace"; $.user.email is missing ($.user has no "email").',
    );
  });

  it('fails a JSON expectation on a body that is not JSON', async () => {
    const result = await check(bottleLab, {
      http: { url: 'http://127.0.0.1:8080/visits', expect: { json: [{ path: '$.ok', equals: true }] } },
    });
    expect(result.message).toMatch(/the body is not JSON/);
  });

  it('reads the whole Location and any response header', async () => {
    const pass = await check(bottleLab, {
      http: {
        url: 'http://127.0.0.1:8080/old',
        expect: { statusClass: 3, location: 'http://127.0.0.1:8080/new', headers: { Server: 'Cheroot' } },
      },
    });
    expect(pass.passed, pass.message).toBe(true);
    const fail = await check(bottleLab, {
      http: { url: 'http://127.0.0.1:8080/old', expect: { location: 'https://127.0.0.1:8080/new' } },
    });
    expect(fail.message).toMatch(/redirects to http:\/\/127\.0\.0\.1:8080\/new, not https:/);
  });
});

describe('http parallel: N requests at once within T', () => {
  it('passes a threaded server (cheroot): 8 one-second requests finish in about one second', async () => {
    const result = await check(bottleLab, {
      http: { url: 'http://127.0.0.1:8080/slow', parallel: 8, expect: { status: 200, withinMs: 4000 } },
      timeoutMs: 30_000,
    });
    expect(result.passed, result.message).toBe(true);
    expect(result.evidence.split('\n')).toHaveLength(8);
  });

  it('fails wsgiref, which answers one request at a time, as soon as withinMs has passed', async () => {
    const started = performance.now();
    const result = await check(bottleLab, {
      http: { url: 'http://127.0.0.1:8081/slow', parallel: 4, expect: { status: 200, withinMs: 2500 } },
      timeoutMs: 30_000,
    });
    const tookMs = performance.now() - started;
    expect(result.passed).toBe(false);
    expect(result.failure).toBe('slow');
    // Cut off at withinMs itself (curl --max-time 2.5): the third and fourth are still waiting then.
    expect(result.message).toMatch(
      /: 2 of 4 requests sent at once had not finished after 2\.5 s, the time allowed \(are they answered one at a time\?\)\.$/,
    );
    // The verdict comes at the cut-off, not when the last request is answered (4 s).
    expect(tookMs).toBeLessThan(3800);
  });

  it('refuses a parallel check that asks about bodies (the lab file is wrong, not the learner)', () => {
    const parsed = CheckSchema.safeParse({
      http: { url: 'http://127.0.0.1:8080/slow', parallel: 4, expect: { bodyContains: 'done' } },
    });
    expect(parsed.success).toBe(false);
  });
});

describe('websocket: an echo through a URL', () => {
  it('passes when the message comes back', async () => {
    const result = await check(bottleLab, {
      websocket: { url: 'ws://127.0.0.1:9001/echo', send: 'ping 42' },
    });
    expect(result.passed, result.message).toBe(true);
    expect(result.evidence).toContain('HTTP/1.1 101 Switching Protocols');
    expect(result.command).toContain("'Upgrade: websocket'");
  });

  it('fails an upgrade the server refuses, quoting its answer', async () => {
    const result = await check(bottleLab, { websocket: { url: 'ws://127.0.0.1:9002/echo' } });
    expect(result.passed).toBe(false);
    expect(result.message).toMatch(/answered HTTP\/1\.1 403 Forbidden, not 101/);
  });

  it('fails a plain HTTP route and a port where nothing listens', async () => {
    const plain = await check(bottleLab, { websocket: { url: 'ws://127.0.0.1:8080/api/user' } });
    expect(plain.message).toMatch(/HTTP\/1\.1 200 OK, not 101/);
    const nothing = await check(bottleLab, { websocket: { url: 'ws://127.0.0.1:9009/' } });
    expect(nothing.message).toMatch(/ECONNREFUSED/);
  });

  it('fails when the answer lacks the expected text', async () => {
    const result = await check(bottleLab, {
      websocket: { url: 'ws://127.0.0.1:9001/echo', send: 'hello', expect: { contains: 'world' } },
    });
    expect(result.message).toMatch(/does not contain "world"/);
  });
});

describe('dns: answers from dig compared as a set', () => {
  const caa = ['0 issue "letsencrypt.org"', '0 issuewild ";"', '128 iodef "mailto:security@example.test"'];

  it('passes the three CAA records in any order, authoritatively', async () => {
    const result = await check(dnsLab, {
      dns: {
        name: 'example.test',
        type: 'CAA',
        port: 5354,
        expect: { answers: [...caa].reverse(), authoritative: true },
      },
    });
    expect(result.passed, result.message).toBe(true);
  });

  it('fails naming a missing record and an unexpected one', async () => {
    const result = await check(dnsLab, {
      name: 'CAA',
      dns: {
        name: 'example.test',
        type: 'CAA',
        port: 5354,
        expect: { answers: [caa[0], '0 issue "pki.goog"'] },
      },
    });
    expect(result.message).toBe(
      'CAA: missing [0 issue "pki.goog"]; unexpected [0 issuewild ";"], [128 iodef "mailto:security@example.test"].',
    );
  });

  it('checks NXDOMAIN by status, and reports a server that does not answer', async () => {
    const nx = await check(dnsLab, {
      dns: { name: 'nope.example.test', type: 'A', port: 5354, expect: { status: 'NXDOMAIN' } },
    });
    expect(nx.passed, nx.message).toBe(true);
    const none = await check(dnsLab, {
      dns: { name: 'example.test', type: 'CAA', port: 5399 },
      timeoutMs: 4000,
    });
    expect(none.message).toMatch(/no answer \(no servers could be reached\)/);
  });
});
