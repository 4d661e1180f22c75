import { describe, expect, it } from 'vitest';
import type { ExecResult } from '@/sandbox';
import { CheckSchema } from './check-registry';
import { fixture } from './parsers/fixture-files';
import { gradeStep, mayChangeLab, runCheck, type GradeProgress } from './grade-step';
import type { GraderSandbox } from './sandbox-port';

/** A probe whose curl always reports "connection refused" (exit 7), counting the attempts. */
function refusingProbe(): GraderSandbox & { attempts: number } {
  const refused: ExecResult = {
    exitCode: 7,
    stdout: '',
    // curl's own facts of a refused connection (captured), then its empty %{header_json}.
    stderr: `${fixture('curl', 'connection-refused')}\n{}`,
    timedOut: false,
    truncated: false,
    durationMs: 1,
  };
  const probe = {
    attempts: 0,
    exec: async () => {
      probe.attempts += 1;
      return refused;
    },
    readFile: async () => Buffer.from(''),
    processes: async () => [],
  };
  return probe;
}

const server = CheckSchema.parse({
  name: 'the server answers',
  http: { url: 'http://127.0.0.1:8080/', expect: { status: 200 } },
  retries: 3,
  delayMs: 10,
  hints: {
    refused: 'nothing listens on port 8080: is the server running? `jobs` lists it',
    status: 'look at the route',
    other: 'something else went wrong',
  },
});

describe('grading', () => {
  it('a refused connection is a final answer: one attempt despite retries, with the hint for it', async () => {
    const probe = refusingProbe();
    const result = await runCheck(server, probe, 's', {});
    expect(probe.attempts).toBe(1);
    expect(result).toMatchObject({
      passed: false,
      failure: 'refused',
      hint: 'nothing listens on port 8080: is the server running? `jobs` lists it',
    });
  });

  it('a patient caller (test-labs, solve) gets every retry even after a final answer', async () => {
    const probe = refusingProbe();
    await runCheck(server, probe, 's', {}, { patient: true });
    expect(probe.attempts).toBe(4);
  });

  it("a failure the check has no hint for gets its 'other' hint, and none without one", async () => {
    const noRefusedHint = CheckSchema.parse({ ...server, hints: { other: 'something else went wrong' } });
    expect((await runCheck(noRefusedHint, refusingProbe(), 's', {})).hint).toBe('something else went wrong');
    const noHints = CheckSchema.parse({ ...server, hints: undefined });
    expect((await runCheck(noHints, refusingProbe(), 's', {})).hint).toBeUndefined();
  });

  it('reports each check as it starts and as it ends, in order', async () => {
    const seen: string[] = [];
    const onProgress = (progress: GradeProgress) =>
      seen.push(
        `${progress.index} ${progress.state}${progress.state === 'done' ? ` ${progress.result.passed}` : ''}`,
      );
    await gradeStep({ id: 'step', checks: [server, server] }, refusingProbe(), 's', {}, { onProgress });
    expect(seen).toEqual(['0 running', '0 done false', '1 running', '1 done false']);
  });

  it('an error of the grader itself is thrown, not turned into a failed check', async () => {
    const broken: GraderSandbox = {
      ...refusingProbe(),
      exec: async () => {
        throw Object.assign(new Error('the probe agent exited'), { name: 'GraderUnavailableError' });
      },
    };
    await expect(runCheck(server, broken, 's', {})).rejects.toMatchObject({ name: 'GraderUnavailableError' });
  });

  it('a hint keyed by a failure that does not exist is refused when the lab is read', () => {
    expect(() => CheckSchema.parse({ ...server, hints: { refusd: 'typo' } })).toThrow(/refusd|hints/);
  });
});

describe('mayChangeLab', () => {
  it('says which checks only the learner may run: changesLab, and requests that may write', () => {
    const get = CheckSchema.parse({ http: { url: 'http://127.0.0.1:8080/', expect: { status: 200 } } });
    const post = CheckSchema.parse({
      http: { url: 'http://127.0.0.1:8080/items', method: 'POST', expect: { status: 201 } },
    });
    const hangUp = CheckSchema.parse({ command: { run: 'kill -HUP 1', in: 'lab' }, changesLab: true });
    const file = CheckSchema.parse({ file: { path: '/home/learner/app/app.py', contains: 'run(' } });
    expect([get, post, hangUp, file].map(mayChangeLab)).toEqual([false, true, true, false]);
  });

  it('takes a script for one that may change the lab, unless the check says it does not', () => {
    const script = CheckSchema.parse({ command: { run: 'curl -s -d "" http://127.0.0.1:8080/hit' } });
    const readOnly = CheckSchema.parse({
      command: { run: 'openssl x509 -noout -in c.pem' },
      changesLab: false,
    });
    const getThatSaysSo = CheckSchema.parse({
      http: { url: 'http://127.0.0.1:8080/hits', expect: { status: 200 } },
      changesLab: true,
    });
    expect([script, readOnly, getThatSaysSo].map(mayChangeLab)).toEqual([true, false, true]);
  });
});
