import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { GraderSandbox } from '../sandbox-port';
import { runPortCheck } from './port';

const captured = readFileSync(new URL('../../tests/fixtures/proc/listening.txt', import.meta.url), 'utf8');

/** A sandbox whose probe prints the captured kernel tables (8080 on all, 9090 on loopback, 7070 on ::). */
const sandbox: GraderSandbox = {
  exec: async () => ({
    exitCode: 0,
    stdout: captured,
    stderr: '',
    timedOut: false,
    truncated: false,
    durationMs: 1,
  }),
  readFile: async () => Buffer.alloc(0),
  processes: async () => [],
};
const context = { sandbox, sessionId: 's_test', probeScripts: {}, timeoutMs: 5000 };

describe('port check', () => {
  it('passes for a server on every address, owned by the learner', async () => {
    expect((await runPortCheck({ port: 8080, on: 'all', uid: 1000 }, 'p', context)).passed).toBe(true);
    expect((await runPortCheck({ port: 7070, on: 'all' }, 'p', context)).passed).toBe(true);
  });

  it('says to bind 0.0.0.0 when the server listens on loopback only', async () => {
    const result = await runPortCheck({ port: 9090, on: 'all' }, 'p', context);
    expect(result.passed).toBe(false);
    expect(result.message).toBe(
      'p: the server listens on 127.0.0.1 only; bind it to 0.0.0.0 to reach it from every address of the sandbox.',
    );
    expect(result.evidence).toBe('listening on 127.0.0.1:9090 (uid 1000)');
  });

  it('says to bind 127.0.0.1 when a backend must be reachable on loopback only', async () => {
    const result = await runPortCheck({ port: 8080, on: 'loopback' }, 'p', context);
    expect(result.message).toMatch(/bind it to 127\.0\.0\.1/);
  });

  it('says nothing listens on a free port', async () => {
    const result = await runPortCheck({ port: 5000 }, 'p', context);
    expect(result).toMatchObject({
      passed: false,
      message: 'p: nothing listens on port 5000 yet.',
      evidence: 'nothing listens on port 5000',
    });
  });
});
