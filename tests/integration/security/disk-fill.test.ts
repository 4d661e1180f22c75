// Attack: fill the disk (piston keeps the same regression tests: fallocate.py, file_persistance.py).
// Defence chosen (docs/sandbox.md): a read-only root filesystem, and size-capped tmpfs volumes for
// the few places a lab writes, seeded from the image. A write past the budget fails with ENOSPC
// inside the sandbox; nothing reaches the host's disk; nothing outlives the session.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SandboxSession } from '@/sandbox';
import { LAB_IMAGE, sandboxFixture, startLab, type SandboxFixture } from '../../support/sandbox';

const SCRATCH_MIB = 16;
let fixture: SandboxFixture;
let session: SandboxSession;

beforeAll(async () => {
  fixture = sandboxFixture();
  session = await startLab(fixture, { scratchMiB: SCRATCH_MIB });
});
afterAll(() => fixture.dispose());

describe('disk fill', () => {
  it('writing past the budget stops at the budget with "No space left on device"', async () => {
    const fill = await fixture.manager.exec(session.id, {
      argv: [
        'sh',
        '-c',
        'head -c 200000000 /dev/zero > /home/learner/fill; echo status=$?; stat -c %s /home/learner/fill',
      ],
    });
    expect(fill.stderr).toMatch(/No space left on device/);
    expect(fill.stdout).toMatch(/status=1/);
    const size = Number(fill.stdout.trim().split('\n').at(-1));
    expect(size).toBeLessThanOrEqual(SCRATCH_MIB * 1024 * 1024);
  });

  it('fallocate past the budget is refused too', async () => {
    const result = await fixture.manager.exec(session.id, { argv: ['fallocate', '-l', '1G', '/tmp/huge'] });
    expect(result.exitCode).not.toBe(0);
    expect(result.stderr).toMatch(/No space left on device/);
  });

  it('everything outside the writable places is read-only', async () => {
    for (const path of ['/usr/local/x', '/etc/x', '/var/tmp/x', '/opt/x', '/root/x']) {
      const result = await fixture.manager.exec(session.id, { argv: ['sh', '-c', `echo x > ${path}`] });
      expect(result.exitCode, path).not.toBe(0);
      expect(result.stderr, path).toMatch(/Read-only file system|Permission denied/);
    }
  });

  it('nothing written in one session is there in the next', async () => {
    await fixture.manager.exec(session.id, {
      argv: ['sh', '-c', 'echo secret > /tmp/left-behind; echo secret > /home/learner/left-behind'],
    });
    const next = await fixture.manager.start({
      labId: 'test-lab',
      image: LAB_IMAGE,
      ownerId: 'someone-else',
    });
    const look = await fixture.manager.exec(next.id, { argv: ['sh', '-c', 'ls /tmp /home/learner'] });
    expect(look.stdout).not.toMatch(/left-behind/);
    await fixture.manager.stop(next.id);
  });
});
