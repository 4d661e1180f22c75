// A session is ready once its lab runs with its writable places seeded; its probe container (the
// grader's half) starts in the background. What needs the probe waits for it; a probe that cannot
// start is the grader being unavailable and ends the session; and a session stopped while its probe
// is starting leaves nothing behind.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CheckSchema,
  gradeStep,
  GraderUnavailableError,
  readProbeAgentSource,
  readProbeScripts,
  WarmGraderSandbox,
} from '@/grader';
import { DEFAULT_LIMITS, SessionManager } from '@/sandbox';
import { PROJECT_ROOT } from '../../support/cli';
import {
  LAB_IMAGE,
  leftovers,
  PROBE_IMAGE,
  sandboxFixture,
  startLab,
  type SandboxFixture,
} from '../../support/sandbox';
import { tempDir } from '../../support/temp';

const probeScripts = readProbeScripts(PROJECT_ROOT);
const agentSource = readProbeAgentSource(PROJECT_ROOT);
/** A step whose one check passes only when it runs in a running probe (as the probe's user). */
const probeStep = {
  id: 'in-the-probe',
  checks: [CheckSchema.parse({ name: 'the probe answers', command: { run: 'test "$(id -u)" = 1001' } })],
};
/** A probe image that the engine refuses to start: its /tmp, where the probe mounts a tmpfs, is a file. */
const BROKEN_PROBE = `keiko-test-${process.env.KEIKO_INSTANCE ?? 'local'}/broken-probe:latest`.toLowerCase();

/** Every container the engine has for the session, running or not, as `docker ps -a` lists them. */
function dockerPsAll(sessionId: string): string {
  return execFileSync(
    'docker',
    ['ps', '-a', '--filter', `label=keiko.session=${sessionId}`, '--format', '{{.ID}}'],
    {
      encoding: 'utf8',
    },
  ).trim();
}

async function waitFor(condition: () => boolean | Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`not so within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

let fixture: SandboxFixture;

beforeAll(() => {
  fixture = sandboxFixture();
});
afterAll(() => fixture.dispose());

describe('a session whose probe starts in the background', () => {
  it('takes a grading asked for right after the start: it waits for the probe, and passes', async () => {
    const grader = new WarmGraderSandbox(fixture.manager, agentSource);
    const session = await startLab(fixture);
    try {
      const result = await gradeStep(probeStep, grader, session.id, probeScripts);
      expect(result.checks.map((check) => check.evidence)).toEqual([expect.anything()]);
      expect(result.passed).toBe(true);
    } finally {
      grader.forget(session.id);
      await fixture.manager.stop(session.id);
    }
  }, 180_000);

  it('is not ended by a sweep that runs while its probe is still starting', async () => {
    const session = await startLab(fixture);
    try {
      expect(await fixture.manager.sweep()).toEqual([]);
      expect(fixture.manager.get(session.id)?.status).toBe('ready');
      const probe = await fixture.manager.exec(session.id, { argv: ['id', '-u'], in: 'probe' });
      expect(probe.stdout).toBe('1001\n');
    } finally {
      await fixture.manager.stop(session.id);
    }
  }, 180_000);

  it('stopped while its probe is starting, leaves no container or volume behind', async () => {
    const session = await startLab(fixture);
    await fixture.manager.stop(session.id);
    expect(dockerPsAll(session.id)).toBe('');
    expect(await leftovers(fixture.runtime, session.id)).toBe(0);
    expect(fixture.store.sessions.get(session.id)?.status).toBe('stopped');
  }, 180_000);
});

describe('a probe that cannot start', () => {
  let broken: SessionManager;

  beforeAll(async () => {
    const context = tempDir('broken-probe');
    fs.writeFileSync(
      path.join(context.dir, 'Dockerfile'),
      `FROM ${PROBE_IMAGE}\nUSER 0\nRUN rm -rf /tmp && touch /tmp\n`,
    );
    await fixture.runtime.buildImage(
      { tag: BROKEN_PROBE, contextDir: context.dir, files: ['Dockerfile'], labels: {} },
      () => undefined,
    );
    context.remove();
    broken = new SessionManager({
      runtime: fixture.runtime,
      registry: fixture.store.sessions,
      probeImage: BROKEN_PROBE,
      instance: process.env.KEIKO_INSTANCE,
      defaults: DEFAULT_LIMITS,
    });
  }, 120_000);
  afterAll(async () => {
    broken.close();
    for (const session of broken.list()) await broken.stop(session.id, 'test finished');
    await fixture.runtime.removeImage(BROKEN_PROBE);
  });

  it('is reported as the grader being unavailable, and its session is ended and removed', async () => {
    const grader = new WarmGraderSandbox(broken, agentSource);
    // The lab itself starts: the learner's shell does not need the probe.
    const session = await broken.start({ labId: 'test-lab', image: LAB_IMAGE, ownerId: 'learner-test' });
    expect(session.status).toBe('ready');
    await expect(gradeStep(probeStep, grader, session.id, probeScripts)).rejects.toBeInstanceOf(
      GraderUnavailableError,
    );
    await expect(gradeStep(probeStep, grader, session.id, probeScripts)).rejects.toThrow(
      /probe container could not start/,
    );
    await waitFor(() => fixture.store.sessions.get(session.id)?.endedAt !== undefined, 30_000);
    expect(fixture.store.sessions.get(session.id)).toMatchObject({ status: 'failed' });
    expect(fixture.store.sessions.get(session.id)?.endReason).toMatch(/probe container could not start/);
    expect(broken.get(session.id)).toBeUndefined();
    expect(dockerPsAll(session.id)).toBe('');
    expect(await leftovers(fixture.runtime, session.id)).toBe(0);
  }, 180_000);
});
