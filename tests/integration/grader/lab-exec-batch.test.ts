// Commands a step's checks ask for at once in the lab share one `docker exec`: each must come back
// exactly as its own exec would have answered, in a real lab container, as the learner.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LabExecBatch } from '@/grader';
import type { ExecInSessionOptions, ExecResult } from '@/sandbox';
import { sandboxFixture, startLab, type SandboxFixture } from '../../support/sandbox';

let fixture: SandboxFixture;
let sessionId: string;

beforeAll(async () => {
  fixture = sandboxFixture();
  sessionId = (await startLab(fixture)).id;
}, 120_000);
afterAll(() => fixture?.dispose());

/** A batch over the real session, counting the engine execs it made. */
function batchOverEngine() {
  const execs: ExecInSessionOptions[] = [];
  const batch = new LabExecBatch((id, options) => {
    execs.push(options);
    return fixture.manager.exec(id, options);
  });
  return { batch, execs };
}

const facts = (result: ExecResult) => ({
  exitCode: result.exitCode,
  stdout: result.stdout,
  stderr: result.stderr,
  timedOut: result.timedOut,
  truncated: result.truncated,
});

const commands: ExecInSessionOptions[] = [
  { argv: ['bash', '-c', 'id -un; pwd; echo to-stderr >&2; exit 3'] },
  { argv: ['cat'], stdin: 'stdin of its own, with ünïcödé and a\nsecond line\n' },
  { argv: ['printf', '%s|%s|%s', '', 'two words', '-'] },
  { argv: ['bash', '-c', 'printf "%s\\n" "line one" "0 0 0 0 - -"; exit 124'] },
];

describe('lab commands asked at once', () => {
  it('run in one exec and each answers exactly as its own exec does: output, stdin, words, exit codes', async () => {
    const alone = await Promise.all(commands.map((command) => fixture.manager.exec(sessionId, command)));
    const { batch, execs } = batchOverEngine();
    const together = await Promise.all(commands.map((command) => batch.run(sessionId, command)));
    expect(execs).toHaveLength(1);
    expect(together.map(facts)).toEqual(alone.map(facts));
    expect(together[0]).toMatchObject({ exitCode: 3, stdout: 'learner\n/home/learner/app\n', stderr: 'to-stderr\n' });
    expect(together[3]).toMatchObject({ exitCode: 124, timedOut: false });
  });

  it('says a program that does not exist exits 127, as a shell would', async () => {
    const { batch } = batchOverEngine();
    const [missing] = await Promise.all([
      batch.run(sessionId, { argv: ['no-such-program-anywhere'] }),
      batch.run(sessionId, { argv: ['true'] }),
    ]);
    expect(missing).toMatchObject({ exitCode: 127, timedOut: false });
    expect(missing!.stderr).toContain('no-such-program-anywhere');
  });

  it('stops a command at its own time limit and reports it timed out, while the others finish', async () => {
    const { batch } = batchOverEngine();
    const [slow, quick] = await Promise.all([
      batch.run(sessionId, { argv: ['sleep', '20'], timeoutMs: 500 }),
      batch.run(sessionId, { argv: ['echo', 'quick'] }),
    ]);
    expect(slow).toMatchObject({ exitCode: null, timedOut: true });
    expect(slow!.durationMs).toBeLessThan(3_000);
    expect(quick).toMatchObject({ exitCode: 0, stdout: 'quick\n' });
  });

  it('keeps each command to its own output limit and says it cut it', async () => {
    const { batch } = batchOverEngine();
    const [big, small] = await Promise.all([
      batch.run(sessionId, { argv: ['bash', '-c', 'head -c 5000 /dev/zero | tr "\\0" x'], outputMaxBytes: 100 }),
      batch.run(sessionId, { argv: ['echo', 'small'] }),
    ]);
    expect(big).toMatchObject({ stdout: 'x'.repeat(100), truncated: true });
    expect(small).toMatchObject({ stdout: 'small\n', truncated: false });
  });

  it('runs a lone command as a plain exec, and a batch with root commands apart from the learner ones', async () => {
    const { batch, execs } = batchOverEngine();
    await batch.run(sessionId, { argv: ['true'] });
    expect(execs[0]!.argv).toEqual(['true']);
    const [root, learner] = await Promise.all([
      batch.run(sessionId, { argv: ['id', '-u'], asRoot: true }),
      batch.run(sessionId, { argv: ['id', '-u'] }),
    ]);
    expect([root!.stdout, learner!.stdout]).toEqual(['0\n', '1000\n']);
  });

  it('leaves nothing behind in the lab: no runner, no temporary folder', async () => {
    const { batch } = batchOverEngine();
    await Promise.all([batch.run(sessionId, { argv: ['true'] }), batch.run(sessionId, { argv: ['true'] })]);
    const left = await fixture.manager.exec(sessionId, {
      argv: ['bash', '-c', 'ls -d /tmp/tmp.* 2>/dev/null | wc -l; ps -eo args= | grep -c keiko-check[s]'],
    });
    expect(left.stdout).toBe('0\n0\n');
  });
});
