// Attack: exhaust the host through what no cgroup counts: thousands of open files in one process, a
// set-uid binary or a device node planted in a writable place, or memory pressure that makes the
// kernel kill the platform instead of the sandbox.
// Defence: per-process rlimits (nofile 1024/4096, no core dumps), nosuid,nodev on every writable
// volume and tmpfs, and an OOM score adjustment of 1000 so a sandbox is always the kernel's first
// victim. (nproc is host-wide per uid, so it is only a generous second line behind pids.max.)
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SandboxSession } from '@/sandbox';
import { sandboxFixture, startLab, type SandboxFixture } from '../../support/sandbox';

let fixture: SandboxFixture;
let session: SandboxSession;

beforeAll(async () => {
  fixture = sandboxFixture();
  session = await startLab(fixture);
});
afterAll(() => fixture.dispose());

const sh = (script: string, target: 'lab' | 'probe' = 'lab') =>
  fixture.manager.exec(session.id, { argv: ['sh', '-c', script], in: target });

describe('limits no cgroup counts', () => {
  it('caps open files per process and allows no core dumps', async () => {
    // The container's init gets 1024 soft / 4096 hard; the engine starts execs (shells, graders)
    // with the hard limit as their soft one: either way no process holds more than 4096.
    const limits = await sh('ulimit -Hn; ulimit -c; grep "open files" /proc/1/limits');
    const [hard, core, init] = limits.stdout.split('\n');
    expect([hard, core]).toEqual(['4096', '0']);
    expect(init).toMatch(/1024\s+4096/);
    const flood = await sh(
      'python3 -c "import os\nn=0\ntry:\n  while True: os.open(\'/dev/null\', os.O_RDONLY); n+=1\nexcept OSError as e: print(n, e.errno)"',
    );
    const [opened, errno] = flood.stdout.trim().split(' ').map(Number);
    expect(errno).toBe(24); // EMFILE
    expect(opened).toBeLessThan(4096);
  });

  it('makes every sandbox process the OOM killer’s first choice, lab and probe', async () => {
    expect((await sh('cat /proc/self/oom_score_adj')).stdout.trim()).toBe('1000');
    expect((await sh('cat /proc/self/oom_score_adj', 'probe')).stdout.trim()).toBe('1000');
  });

  it('mounts the writable places nosuid,nodev: a set-uid copy gains nothing', async () => {
    const mounts = await sh(
      'awk \'$5 == "/home/learner" || $5 == "/tmp" { print $5, $6 }\' /proc/self/mountinfo',
    );
    for (const line of mounts.stdout.trim().split('\n')) expect(line).toMatch(/nosuid.*nodev|nodev.*nosuid/);
    const probeTmp = await sh('awk \'$5 == "/tmp" { print $6 }\' /proc/self/mountinfo', 'probe');
    expect(probeTmp.stdout).toMatch(/nosuid/);
    expect(probeTmp.stdout).toMatch(/nodev/);
  });
});
