// The CLI and the server on one engine (issue 20). A server's sweeper used to reap every labelled
// object of its instance that its own memory did not hold, and every installation's instance was
// `default`: `keiko test-labs` beside `keiko serve` lost its sandboxes mid-run. Now ownership comes
// from the shared store (each session names the process holding it) and each data directory is an
// installation of its own, so none of the runs below may disturb another.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DockerRuntime, LABELS, MemoryRegistry, SessionManager, labImageTag } from '@/sandbox';
import { Store } from '@/store';
import { KEIKO_BIN, PROJECT_ROOT, runNode } from '../../support/cli';
import { startServer, type RunningServer } from '../../support/server';
import { tempDir } from '../../support/temp';

const LABS = path.join(PROJECT_ROOT, 'tests', 'fixtures', 'labs');
const GRACE_MS = 8_000;
const runtime = new DockerRuntime({ dockerHost: process.env.DOCKER_HOST });
const home = tempDir('shared-engine-a');
const other = tempDir('shared-engine-b');
// No KEIKO_INSTANCE: each data directory's own id labels its sandboxes, as on a real install.
const envOf = (dataDir: string) => ({
  KEIKO_DATA_DIR: dataDir,
  KEIKO_LABS_DIR: LABS,
  KEIKO_INSTANCE: '',
  KEIKO_SWEEP_INTERVAL_MS: '1000',
  KEIKO_ORPHAN_GRACE_MS: String(GRACE_MS),
});
let server: RunningServer;
let otherServer: RunningServer;
let learner: { id: string; token: string };

/** Containers and volumes of one session that still exist on the engine. */
async function objectsOf(sessionId: string): Promise<number> {
  const { containers, volumes } = await runtime.listLabelled(LABELS.session);
  return [...containers, ...volumes].filter((o) => o.labels[LABELS.session] === sessionId).length;
}

async function learnerSessionAnswers(): Promise<number> {
  const response = await fetch(`${server.url}/api/sessions/${learner.id}/steps/greeting/check`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${learner.token}` },
  });
  return response.status;
}

beforeAll(async () => {
  [server, otherServer] = await Promise.all([
    startServer({ ...envOf(home.dir), KEIKO_POOL_SIZE: '1' }),
    startServer({ ...envOf(other.dir), KEIKO_POOL_SIZE: '1' }),
  ]);
  learner = (await (
    await fetch(`${server.url}/api/labs/example-files/sessions`, { method: 'POST' })
  ).json()) as typeof learner;
});
afterAll(async () => {
  await Promise.all([server?.stop(), otherServer?.stop()]);
  home.remove();
  other.remove();
});

describe('one engine, many Keiko processes', () => {
  it('gives each data directory its own instance id, kept in its store', () => {
    const a = Store.open(home.dir);
    const b = Store.open(other.dir);
    expect(a.instanceId).toMatch(/^k-[0-9a-f]{12}$/);
    expect(b.instanceId).not.toBe(a.instanceId);
    a.close();
    b.close();
  });

  it('keiko test-labs and keiko grade pass beside a sweeping server of the same data directory and another installation', async () => {
    const [testLabs, grade] = await Promise.all([
      runNode(['test-labs', 'grading-demo'], { env: envOf(home.dir), timeoutMs: 600_000 }),
      runNode(['grade', 'example-files', '--solve'], { env: envOf(home.dir), timeoutMs: 300_000 }),
    ]);
    expect(testLabs.stderr).toBe('');
    expect(testLabs.code, testLabs.stdout).toBe(0);
    expect(grade.code, `${grade.stdout}\n${grade.stderr}`).toBe(0);
    // The learner's session on the server lived through all of it.
    expect(await learnerSessionAnswers()).toBe(200);
  });

  it("a benchmark's clean-up removes only its own objects", async () => {
    const bench = new SessionManager({
      runtime,
      registry: new MemoryRegistry(),
      probeImage: labImageTag('probe'),
      instance: `bench-${process.pid}`,
      holder: 'bench',
      orphanGraceMs: 0,
    });
    const session = await bench.start({ labId: 'bench', image: labImageTag('bottle'), ownerId: 'bench' });
    await bench.stop(session.id);
    await bench.reap();
    bench.close();
    expect(await learnerSessionAnswers()).toBe(200);
    const health = (await (await fetch(`${server.url}/api/health`)).json()) as { ok: boolean };
    expect(health.ok).toBe(true);
  });

  it('lists who started each live session', async () => {
    const list = await runNode(['sessions', 'list', '--json'], { env: envOf(home.dir) });
    const sessions = JSON.parse(list.stdout) as { id: string; startedBy: { kind: string } | null }[];
    expect(sessions.find((s) => s.id === learner.id)?.startedBy?.kind).toBe('server');
    const text = await runNode(['sessions', 'list'], { env: envOf(home.dir) });
    expect(text.stdout).toMatch(new RegExp(`${learner.id} .*started by server`));
  });

  it('after kill -9 of a CLI run, the server reaps its sandbox once the grace period has passed, and not before', async () => {
    const store = Store.open(home.dir);
    const known = new Set(store.sessions.live().map((s) => s.id));
    const child = spawn(process.execPath, [KEIKO_BIN, 'grade', 'grading-demo'], {
      cwd: PROJECT_ROOT,
      env: { ...process.env, ...envOf(home.dir) },
      stdio: 'ignore',
    });
    let orphan: string | undefined;
    for (let i = 0; i < 240 && !orphan; i += 1) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      orphan = store.sessions
        .live()
        .find(
          (s) =>
            !known.has(s.id) &&
            s.status === 'ready' &&
            store.sessions.holder(s.holderId ?? '')?.kind === 'grade',
        )?.id;
    }
    expect(orphan, 'keiko grade started a session').toBeDefined();
    child.kill('SIGKILL');
    const killedAt = Date.now();
    await new Promise((resolve) => child.once('exit', resolve));

    await new Promise((resolve) => setTimeout(resolve, GRACE_MS / 2));
    expect(await objectsOf(orphan!), 'still there within the grace period').toBeGreaterThan(0);

    while ((await objectsOf(orphan!)) > 0 && Date.now() - killedAt < GRACE_MS + 20_000)
      await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await objectsOf(orphan!), 'reaped after the grace period').toBe(0);
    expect(store.sessions.get(orphan!)?.endedAt).toBeDefined();
    store.close();
    expect(await learnerSessionAnswers()).toBe(200);
  });
});
