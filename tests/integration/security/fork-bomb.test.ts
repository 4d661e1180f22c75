// Attack: a fork bomb, the classic `:(){ :|:& };:` and a Python os.fork() loop, and the same bomb
// launched from many `docker exec`s at once (exec'd processes are moved into the container's cgroup
// after they start, which once let them slip past a pids limit: runc#4413, moby#42704, riju#92).
// Defence: the cgroup pids limit of the lab container. The bomb hits EAGAIN inside its own sandbox;
// another learner's sandbox keeps answering.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SandboxSession } from '@/sandbox';
import { sandboxFixture, startLab, type SandboxFixture } from '../../support/sandbox';

const PIDS = 64;
let fixture: SandboxFixture;
let bystander: SandboxSession;

beforeAll(async () => {
  fixture = sandboxFixture();
  bystander = await startLab(fixture);
});
afterAll(() => fixture.dispose());

/** Samples the bomb's process count while it runs, and times the bystander's echo meanwhile. */
async function underBomb(victim: SandboxSession, launch: () => Promise<unknown>) {
  const bomb = launch();
  const samples: number[] = [];
  const echoes: number[] = [];
  const until = Date.now() + 6_000;
  while (Date.now() < until) {
    samples.push((await fixture.manager.usage(victim.id)).pids);
    const started = performance.now();
    const echo = await fixture.manager.exec(bystander.id, {
      argv: ['echo', 'still here'],
      timeoutMs: 10_000,
    });
    expect(echo.stdout).toBe('still here\n');
    echoes.push(performance.now() - started);
  }
  await bomb;
  return { maxPids: Math.max(...samples), slowestEchoMs: Math.max(...echoes) };
}

describe('fork bombs', () => {
  it('a shell fork bomb stays under the pids limit while another session answers', async () => {
    const victim = await startLab(fixture, { pids: PIDS });
    const { maxPids } = await underBomb(victim, () =>
      fixture.manager.exec(victim.id, { argv: ['bash', '-c', ':(){ :|:& };:'], timeoutMs: 8_000 }),
    );
    expect(maxPids).toBeLessThanOrEqual(PIDS);
    expect(maxPids).toBeGreaterThan(PIDS / 2); // the bomb really ran into the limit
    await fixture.manager.stop(victim.id);
  });

  it('a Python fork loop stays under the pids limit', async () => {
    const victim = await startLab(fixture, { pids: PIDS });
    const loop = 'import os\nwhile True:\n    try:\n        os.fork()\n    except OSError:\n        pass\n';
    const { maxPids } = await underBomb(victim, () =>
      fixture.manager.exec(victim.id, { argv: ['python3', '-c', loop], timeoutMs: 8_000 }),
    );
    expect(maxPids).toBeLessThanOrEqual(PIDS);
    await fixture.manager.stop(victim.id);
  });

  it('a bomb launched from 30 parallel execs is still held by the same limit', async () => {
    const victim = await startLab(fixture, { pids: PIDS });
    const { maxPids } = await underBomb(victim, () =>
      Promise.all(
        Array.from({ length: 30 }, () =>
          fixture.manager
            .exec(victim.id, { argv: ['bash', '-c', ':(){ :|:& };:'], timeoutMs: 8_000 })
            .catch(() => undefined),
        ),
      ),
    );
    expect(maxPids).toBeLessThanOrEqual(PIDS);
    await fixture.manager.stop(victim.id);
  });
});
