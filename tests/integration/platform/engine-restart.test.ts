// The Docker engine restarts while learners' sessions are live (an upgrade, a crash). Its containers
// stop with it. The platform must report those sessions as lost (404, never a hang or a 500), its
// health must recover by itself once the engine answers again, and a learner's new start must work.
//
// This restarts the engine, so it runs only where Keiko started that engine itself (`npm test` on a
// machine without one: a bare `dockerd`, as root); on a developer's own engine it says why it skips.
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DockerRuntime } from '@/sandbox';
import { PROJECT_ROOT } from '../../support/cli';
import { startServer, type RunningServer } from '../../support/server';
import { tempDir } from '../../support/temp';

const PID_FILE = '/var/run/docker.pid';

/** The pid of a dockerd that Keiko's preparation started (a bare `dockerd`), if that is the engine. */
function keikoStartedEngine(): number | undefined {
  if (process.env.DOCKER_HOST || process.getuid?.() !== 0 || !fs.existsSync(PID_FILE)) return undefined;
  const pid = Number(fs.readFileSync(PID_FILE, 'utf8').trim());
  try {
    const command = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
    return command.length === 1 && path.basename(command[0]!) === 'dockerd' ? pid : undefined;
  } catch {
    return undefined;
  }
}

const enginePid = keikoStartedEngine();
const runtime = new DockerRuntime({});
const data = tempDir('engine-restart');
let server: RunningServer | undefined;
afterAll(async () => {
  await server?.stop();
  data.remove();
});

async function until(what: string, test: () => Promise<boolean>, timeoutMs = 90_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await test().catch(() => false)) return;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error(`${what} did not happen within ${timeoutMs} ms`);
}

async function restartEngine(pid: number): Promise<void> {
  process.kill(pid, 'SIGTERM');
  await until('dockerd exiting', async () => !fs.existsSync(`/proc/${pid}`));
  const logDir = path.join(PROJECT_ROOT, 'data', 'logs');
  fs.mkdirSync(logDir, { recursive: true });
  const out = fs.openSync(path.join(logDir, 'dockerd.log'), 'a');
  spawn('dockerd', [], { detached: true, stdio: ['ignore', out, out] }).unref();
  fs.closeSync(out);
  await until('dockerd answering', async () => (await runtime.engineInfo()).reachable);
}

describe.skipIf(!enginePid)('the engine restarts under live sessions', () => {
  it('reports the sessions lost, recovers its health by itself, and starts new ones', async () => {
    server = await startServer({
      KEIKO_DATA_DIR: data.dir,
      KEIKO_LABS_DIR: path.join(PROJECT_ROOT, 'tests', 'fixtures', 'labs'),
      KEIKO_POOL_SIZE: '0',
      KEIKO_SWEEP_INTERVAL_MS: '1000',
    });
    const url = server.url;
    const session = (await (
      await fetch(`${url}/api/labs/example-files/sessions`, { method: 'POST' })
    ).json()) as { id: string; token: string };
    const auth = { Authorization: `Bearer ${session.token}` };

    await restartEngine(enginePid!);
    expect(execFileSync('docker', ['info', '--format', '{{.ServerVersion}}']).toString().trim()).not.toBe('');

    // The sweeper finds the session's containers stopped and reports it ended: 404, for a check too.
    await until('the session reported as ended', async () => {
      const answer = await fetch(`${url}/api/sessions/${session.id}`, { headers: auth });
      return answer.status === 404;
    });
    const check = await fetch(`${url}/api/sessions/${session.id}/steps/greeting/check`, {
      method: 'POST',
      headers: auth,
      signal: AbortSignal.timeout(60_000),
    });
    expect(check.status).toBe(404);
    await until('health recovering', async () => (await fetch(`${url}/api/health`)).status === 200);
    const again = await fetch(`${url}/api/labs/example-files/sessions`, { method: 'POST' });
    expect(again.status).toBe(201);
    expect(server.logs()).not.toMatch(/uncaughtException|unhandledRejection/);
  });
});

if (!enginePid)
  console.warn(
    'engine-restart: skipped, the Docker engine here was not started by Keiko (a bare dockerd as root)',
  );
