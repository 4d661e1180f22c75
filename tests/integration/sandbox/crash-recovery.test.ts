// The server is killed with SIGKILL mid-session: one session ready, one warm-pool spare, one start
// half-way. After a restart, the ready session is found again and usable; everything else labelled
// is reaped; once the adopted session stops, nothing labelled is left.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DockerRuntime, LABELS, SessionManager } from '@/sandbox';
import { Store } from '@/store';
import { PROJECT_ROOT } from '../../support/cli';
import { PROBE_IMAGE } from '../../support/sandbox';
import { tempDir } from '../../support/temp';

const data = tempDir('crash');
const runtime = new DockerRuntime({ dockerHost: process.env.DOCKER_HOST });
afterAll(() => data.remove());

/** Runs the holder until it has begun its second start, then kills it with SIGKILL. */
function runAndKill(): Promise<{ ready: string }> {
  return new Promise((resolve, reject) => {
    // One process, the TypeScript loaded in it: tsx's own CLI would run the holder in a child that
    // outlives the SIGKILL sent to the CLI, and nothing would have crashed.
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', path.join(PROJECT_ROOT, 'tests', 'support', 'session-holder.ts'), data.dir],
      {
        cwd: PROJECT_ROOT,
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    let ready = '';
    let buffer = '';
    child.stdout.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      for (const line of buffer.split('\n').slice(0, -1)) {
        const event = JSON.parse(line) as { ready?: string; starting?: boolean };
        if (event.ready) ready = event.ready;
        if (event.starting) setTimeout(() => child.kill('SIGKILL'), 400);
      }
      buffer = buffer.slice(buffer.lastIndexOf('\n') + 1);
    });
    child.on('exit', (_code, signal) =>
      signal === 'SIGKILL' && ready ? resolve({ ready }) : reject(new Error(`holder ended with ${signal}`)),
    );
  });
}

async function labelledFor(ids: string[]): Promise<number> {
  const { containers, volumes } = await runtime.listLabelled(LABELS.session);
  return [...containers, ...volumes].filter((object) => ids.includes(object.labels[LABELS.session] ?? ''))
    .length;
}

describe('crash recovery', () => {
  it('after SIGKILL, a restart adopts the live session and reaps everything else', async () => {
    const { ready } = await runAndKill();
    const store = Store.open(data.dir);
    const ids = store.sessions.live().map((record) => record.id);
    expect(ids.length).toBeGreaterThanOrEqual(2); // the ready session and the pool's spare at least
    expect(await labelledFor(ids)).toBeGreaterThan(0); // the crash left containers behind

    const manager = new SessionManager({
      runtime,
      registry: store.sessions,
      probeImage: PROBE_IMAGE,
      instance: process.env.KEIKO_INSTANCE,
      holder: 'server',
      // The dead server's spare and half-made start are ended at once here, not after 2 minutes.
      orphanGraceMs: 0,
    });
    const recovered = await manager.recover();
    expect(recovered.adopted).toEqual([ready]);
    expect(recovered.ended.length).toBe(ids.length - 1);
    // A create the killed server had already sent can still land in the engine after this first
    // reap; the sweeper's next reap removes it. Either way nothing outlives one more interval.
    await expect
      .poll(
        async () => {
          await manager.reap();
          return labelledFor(ids.filter((id) => id !== ready));
        },
        { timeout: 15_000, interval: 1_000 },
      )
      .toBe(0);

    const answer = await manager.exec(ready, { argv: ['echo', 'still mine'] });
    expect(answer.stdout).toBe('still mine\n');
    await manager.stop(ready);
    expect(await labelledFor(ids)).toBe(0);
    expect(store.sessions.live()).toEqual([]);
    store.close();
  });
});
