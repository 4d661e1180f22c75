import { describe, expect, it } from 'vitest';
import type { ExecResult, ProcessInfo } from '@/sandbox';
import { CheckSchema } from './check-registry';
import { fixture } from './parsers/fixture-files';
import {
  checkGroups,
  CONCURRENT_CHECKS,
  gradeStep,
  mayChangeLab,
  mayRunConcurrently,
  runCheck,
  type GradeProgress,
} from './grade-step';
import { STARTING_WINDOW_MS } from './still-starting';
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
    processes: async (): Promise<ProcessInfo[]> => [],
  };
  return probe;
}

const sleepInit: ProcessInfo = {
  pid: 1,
  ppid: 0,
  uid: 1000,
  tty: '?',
  command: 'sleep infinity',
  startedSecondsAgo: 0,
};

function learnerProcess(command: string, startedSecondsAgo: number): ProcessInfo {
  return { pid: 40, ppid: 7, uid: 1000, tty: 'pts/0', command, startedSecondsAgo };
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

  it('reports each check as it starts and as it ends: checks that only read start together', async () => {
    const seen: string[] = [];
    const onProgress = (progress: GradeProgress) =>
      seen.push(
        `${progress.index} ${progress.state}${progress.state === 'done' ? ` ${progress.result.passed}` : ''}`,
      );
    await gradeStep({ id: 'step', checks: [server, server] }, refusingProbe(), 's', {}, { onProgress });
    expect(seen).toEqual(['0 running', '1 running', '0 done false', '1 done false']);
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

  it('a refused connection is tried again while a process the learner started a moment ago may still be binding', async () => {
    const probe = refusingProbe();
    let startedSecondsAgo = 0;
    probe.processes = async () => {
      startedSecondsAgo += 1; // each look is a second later
      return [sleepInit, learnerProcess('python3 app.py', startedSecondsAgo)];
    };
    const result = await runCheck(server, probe, 's', {});
    // Seen at 1 and 2 s old (tried again after each), at 3 s old it is no longer starting: the answer.
    expect(probe.attempts).toBe(3);
    expect(result.failure).toBe('refused');
  });

  it('a process starting does not make a wrong answer wait: a wrong status is final at once', async () => {
    const probe = refusingProbe();
    const ok: ExecResult = {
      ...(await probe.exec('s', { argv: ['curl'] })),
      exitCode: 0,
      stderr: `${fixture('curl', 'http11-bottle')}\n{}`,
    };
    probe.attempts = 0;
    probe.exec = async () => {
      probe.attempts += 1;
      return ok;
    };
    probe.processes = async () => [sleepInit, learnerProcess('python3 app.py', 0)];
    const expects404 = CheckSchema.parse({
      ...server,
      http: { url: 'http://127.0.0.1:8080/', expect: { status: 404 } },
    });
    const result = await runCheck(expects404, probe, 's', {});
    expect(result.failure).toBe('status');
    expect(probe.attempts).toBe(1);
  });

  it('a shell the learner just opened is not a server starting: no wait', async () => {
    const probe = refusingProbe();
    let looks = 0;
    probe.processes = async () => {
      looks += 1;
      return [
        sleepInit,
        learnerProcess('bash', 0),
        learnerProcess('-bash', 0),
        learnerProcess('/bin/sh -c x', 0),
      ];
    };
    await runCheck(server, probe, 's', {});
    expect(probe.attempts).toBe(1);
    expect(looks).toBe(1);
  });

  it('a learner who starts processes without end cannot hold a check past the starting window', async () => {
    const probe = refusingProbe();
    probe.processes = async () => [sleepInit, learnerProcess('sleep 0.1', 0)];
    const started = performance.now();
    await runCheck(server, probe, 's', {});
    expect(performance.now() - started).toBeLessThan(STARTING_WINDOW_MS + 1_000);
    expect(probe.attempts).toBeGreaterThan(1);
  });

  it('a step whose checks all fail looks at the processes once, not once per check, when nothing starts', async () => {
    const probe = refusingProbe();
    let looks = 0;
    probe.processes = async () => {
      looks += 1;
      return [sleepInit, learnerProcess('python3 app.py', 120)];
    };
    const result = await gradeStep({ id: 'step', checks: [server, server, server] }, probe, 's', {});
    expect(result.passed).toBe(false);
    expect(looks).toBe(1);
    expect(probe.attempts).toBe(3);
  });

  it('a patient caller does not look at processes: it has its retries', async () => {
    const probe = refusingProbe();
    let looks = 0;
    probe.processes = async () => {
      looks += 1;
      return [learnerProcess('python3 app.py', 0)];
    };
    await runCheck(server, probe, 's', {}, { patient: true });
    expect(looks).toBe(0);
    expect(probe.attempts).toBe(4);
  });

  it('a hint keyed by a failure that does not exist is refused when the lab is read', () => {
    expect(() => CheckSchema.parse({ ...server, hints: { refusd: 'typo' } })).toThrow(/refusd|hints/);
  });
});

/** A sandbox whose every exec takes `ms` and answers "refused", noting how many ran at once. */
function slowProbe(ms: number) {
  const probe = refusingProbe();
  const answer = probe.exec;
  const stats = { inFlight: 0, most: 0, looksWhileBusy: 0, order: [] as string[] };
  probe.exec = async (...args: Parameters<GraderSandbox['exec']>) => {
    stats.inFlight += 1;
    stats.most = Math.max(stats.most, stats.inFlight);
    stats.order.push(args[1].argv.join(' ').slice(0, 40));
    await new Promise((resolve) => setTimeout(resolve, ms));
    stats.inFlight -= 1;
    return answer(...args);
  };
  probe.processes = async () => {
    if (stats.inFlight > 0) stats.looksWhileBusy += 1;
    return [sleepInit, learnerProcess('python3 app.py', 120)];
  };
  return { probe, stats };
}

const get = (path: string) =>
  CheckSchema.parse({ name: `GET ${path}`, http: { url: `http://127.0.0.1:8080${path}`, expect: { status: 200 } } });

describe('checks of a step at once', () => {
  it('runs the checks that only read at the same time, and reports them in the step’s order', async () => {
    const { probe, stats } = slowProbe(30);
    const result = await gradeStep({ id: 'step', checks: [get('/a'), get('/b'), get('/c')] }, probe, 's', {});
    expect(stats.most).toBe(3);
    expect(result.checks.map((check) => check.name)).toEqual(['GET /a', 'GET /b', 'GET /c']);
  });

  it(`runs at most ${CONCURRENT_CHECKS} at once`, async () => {
    const { probe, stats } = slowProbe(20);
    const checks = Array.from({ length: 7 }, (_, index) => get(`/${index}`));
    await gradeStep({ id: 'step', checks }, probe, 's', {});
    expect(stats.most).toBe(CONCURRENT_CHECKS);
  });

  it('runs a check that may change the lab alone, after the checks before it and before those after it', () => {
    const write = CheckSchema.parse({
      http: { url: 'http://127.0.0.1:8080/items', method: 'POST', expect: { status: 201 } },
    });
    expect(checkGroups([get('/a'), get('/b'), write, get('/c'), get('/d')])).toEqual([[0, 1], [2], [3, 4]]);
  });

  it('runs a check that times the server alone: another request beside it would change what it measures', () => {
    const parallel = CheckSchema.parse({
      http: { url: 'http://127.0.0.1:8080/slow', parallel: 4, expect: { status: 200, withinMs: 600 } },
    });
    const timed = CheckSchema.parse({ http: { url: 'http://127.0.0.1:8080/', expect: { withinMs: 500 } } });
    expect(checkGroups([get('/a'), parallel, get('/b'), timed])).toEqual([[0], [1], [2], [3]]);
  });

  it('refuses a concurrent that is not true or false, naming the field', () => {
    expect(() => CheckSchema.parse({ ...get('/a'), concurrent: 'yes' })).toThrow(/concurrent/);
  });

  it('lets the lab say a script may share the step (concurrent: true) or a read must not (false)', () => {
    const independent = CheckSchema.parse({ command: { run: 'insert-and-delete-a-random-row' }, concurrent: true });
    const ordered = CheckSchema.parse({ ...get('/a'), concurrent: false });
    expect([independent, ordered, get('/b')].map(mayRunConcurrently)).toEqual([true, false, true]);
    expect(checkGroups([independent, independent, ordered, get('/b')])).toEqual([[0, 1], [2], [3]]);
  });

  it('runs every check alone, in order, for a patient caller: its first check is what waits for the servers', async () => {
    const { probe, stats } = slowProbe(10);
    await gradeStep({ id: 'step', checks: [get('/a'), get('/b'), get('/c')] }, probe, 's', {}, { patient: true });
    expect(stats.most).toBe(1);
  });

  it('looks at the lab’s processes only when none of the step’s own commands is running', async () => {
    const { probe, stats } = slowProbe(30);
    const result = await gradeStep({ id: 'step', checks: [get('/a'), get('/b'), get('/c')] }, probe, 's', {});
    expect(result.passed).toBe(false);
    expect(stats.looksWhileBusy).toBe(0);
  });

  it('failures a starting server may still change are asked again together, and reported once that start is over', async () => {
    const { probe } = slowProbe(5);
    let looks = 0;
    probe.processes = async () => {
      looks += 1;
      return [sleepInit, learnerProcess('python3 app.py', looks === 1 ? 0 : 120)];
    };
    const seen: string[] = [];
    await gradeStep({ id: 'step', checks: [get('/a'), get('/b')] }, probe, 's', {}, {
      onProgress: (progress) => seen.push(`${progress.index} ${progress.state}`),
    });
    expect(seen).toEqual(['0 running', '1 running', '0 done', '1 done']);
    // Both checks, then both again in one round while app.py was new, then one look that ends it.
    expect(probe.attempts).toBe(4);
    expect(looks).toBe(2);
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
