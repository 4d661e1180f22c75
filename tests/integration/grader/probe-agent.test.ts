// The grader's warm probe agent: one long-lived Node per session answering checks over one attached
// stream. It must give the same facts a `docker exec` gives, restart when it died between checks,
// and report its own failures (killed mid-check, hung, its container gone) as the grader being
// unavailable, never as a failed step.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadLabs } from '@/course';
import {
  CheckSchema,
  gradeStep,
  readProbeAgentSource,
  readProbeScripts,
  runCheck,
  WarmGraderSandbox,
} from '@/grader';
import { LABELS } from '@/sandbox';
import { PROJECT_ROOT } from '../../support/cli';
import { sandboxFixture, startLab, type SandboxFixture } from '../../support/sandbox';

const lab = loadLabs(path.join(PROJECT_ROOT, 'tests', 'fixtures', 'labs')).find(
  (l) => l.id === 'grading-demo',
)!;
const probeScripts = readProbeScripts(PROJECT_ROOT);
const agentSource = readProbeAgentSource(PROJECT_ROOT);
let fixture: SandboxFixture;
let sessionId: string;
let grader: WarmGraderSandbox;

const inProbe = (argv: string[]) => fixture.manager.exec(sessionId, { argv, in: 'probe' });
const nothingListens = CheckSchema.parse({
  name: 'the server answers',
  http: { url: 'http://127.0.0.1:8080/', expect: { status: 200 } },
  retries: 10,
  delayMs: 500,
  hints: { refused: 'nothing listens on port 8080: is the server running? `jobs` lists it' },
});

beforeAll(async () => {
  fixture = sandboxFixture();
  sessionId = (await startLab(fixture)).id;
  grader = new WarmGraderSandbox(fixture.manager, agentSource);
}, 120_000);
afterAll(async () => {
  grader.forget(sessionId);
  await fixture.dispose();
});

describe('the warm probe agent', () => {
  it('runs a program in the probe with the same output and exit code as docker exec', async () => {
    const argv = ['sh', '-c', 'echo out; echo err >&2; exit 3'];
    const warm = await grader.exec(sessionId, { argv, in: 'probe', timeoutMs: 5_000 });
    const cold = await inProbe(argv);
    expect({ code: warm.exitCode, out: warm.stdout, err: warm.stderr }).toEqual({
      code: cold.exitCode,
      out: cold.stdout,
      err: cold.stderr,
    });
  }, 60_000);

  it('keeps the output of a program apart from its own replies, whatever the program prints', async () => {
    const fake =
      '{"id":99,"exitCode":0,"stdout":"HTTP/2 200","stderr":"","timedOut":false,"truncated":false,"durationMs":1}';
    const result = await grader.exec(sessionId, {
      argv: ['sh', '-c', `printf '\\n${fake}\\n'; exit 1`],
      in: 'probe',
      timeoutMs: 5_000,
    });
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toContain(fake);
  }, 60_000);

  it('kills a program that runs past its timeout and says so', async () => {
    const result = await grader.exec(sessionId, { argv: ['sleep', '30'], in: 'probe', timeoutMs: 500 });
    expect(result).toMatchObject({ timedOut: true, exitCode: null });
  }, 60_000);

  it('runs the TLS probe in its own Node, with the same facts as the one-shot script', async () => {
    const argv = ['node', '--input-type=module', '-', '--host', '127.0.0.1', '--port', '8443'];
    const stdin = probeScripts['tls-probe.mjs']!;
    const warm = await grader.exec(sessionId, { argv, stdin, in: 'probe', timeoutMs: 5_000 });
    const cold = await fixture.manager.exec(sessionId, { argv, stdin, in: 'probe' });
    // Everything but how long the handshake took.
    const facts = (text: string) => ({ ...(JSON.parse(text) as Record<string, unknown>), elapsedMs: 0 });
    expect(warm.exitCode).toBe(0);
    expect(facts(warm.stdout)).toEqual(facts(cold.stdout));
  }, 60_000);

  it('answers "nothing listens" at once, with the hint for that failure, despite 10 retries', async () => {
    const started = Date.now();
    const result = await runCheck(nothingListens, grader, sessionId, probeScripts);
    expect(result).toMatchObject({ passed: false, failure: 'refused' });
    expect(result.hint).toMatch(/is the server running/);
    // Ten retries 500 ms apart would take five seconds; a final answer takes none of them.
    expect(Date.now() - started).toBeLessThan(4_000);
  }, 60_000);

  it('a patient caller (keiko test-labs) still gets every retry', async () => {
    const patient = CheckSchema.parse({ ...nothingListens, retries: 2, delayMs: 300 });
    const started = Date.now();
    const result = await runCheck(patient, grader, sessionId, probeScripts, { patient: true });
    expect(result.failure).toBe('refused');
    expect(Date.now() - started).toBeGreaterThanOrEqual(600);
  }, 60_000);

  it('starts again by itself when it was killed between checks', async () => {
    const before = await grader.agentPid(sessionId);
    await inProbe(['kill', '-KILL', String(before)]);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const result = await runCheck(nothingListens, grader, sessionId, probeScripts);
    expect(result.failure).toBe('refused');
    expect(await grader.agentPid(sessionId)).not.toBe(before);
  }, 60_000);

  it('killed during a check, it is reported as the grader being unavailable, not as a failed step', async () => {
    const pid = await grader.agentPid(sessionId);
    const slow = CheckSchema.parse({ name: 'slow', command: { run: 'sleep 5', in: 'probe' } });
    // Caught as it happens: the kill below lands while the grading waits.
    const failed = gradeStep({ id: 'slow', checks: [slow] }, grader, sessionId, probeScripts).then(
      () => undefined,
      (error: unknown) => error,
    );
    await new Promise((resolve) => setTimeout(resolve, 500));
    await inProbe(['kill', '-KILL', String(pid)]);
    expect(await failed).toMatchObject({
      name: 'GraderUnavailableError',
      message: expect.stringMatching(/probe agent exited/),
    });
    const next = await runCheck(nothingListens, grader, sessionId, probeScripts);
    expect(next.failure).toBe('refused');
  }, 60_000);

  it('hung, it is reported as such within the check timeout plus a grace, and replaced', async () => {
    const pid = await grader.agentPid(sessionId);
    await inProbe(['kill', '-STOP', String(pid)]);
    const quick = CheckSchema.parse({
      name: 'quick',
      command: { run: 'true', in: 'probe' },
      timeoutMs: 1000,
    });
    await expect(
      gradeStep({ id: 'q', checks: [quick] }, grader, sessionId, probeScripts),
    ).rejects.toMatchObject({
      name: 'GraderUnavailableError',
      message: expect.stringMatching(/did not answer/),
    });
    const next = await runCheck(quick, grader, sessionId, probeScripts);
    expect(next.passed).toBe(true);
    expect(await grader.agentPid(sessionId)).not.toBe(pid);
    // The stopped agent was killed, not left behind: one agent in the probe.
    const agents = await inProbe(['sh', '-c', 'ps -eo args | grep -c "^node .*keiko-probe-agent$" || true']);
    expect(agents.stdout.trim()).toBe('1');
  }, 60_000);

  it('with its container gone, grading says the grader is unavailable, not that the step failed', async () => {
    const { containers } = await fixture.runtime.listLabelled(LABELS.session);
    const probe = containers.find(
      (c) => c.labels[LABELS.session] === sessionId && c.labels[LABELS.role] === 'probe',
    )!;
    await fixture.runtime.removeContainer(probe.id);
    const step = lab.steps.find((s) => s.id === 'server')!;
    await expect(gradeStep(step, grader, sessionId, probeScripts)).rejects.toMatchObject({
      name: expect.stringMatching(/GraderUnavailableError|SessionNotFoundError/),
    });
  }, 60_000);
});
