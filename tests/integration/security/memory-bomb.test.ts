// Attack: allocate memory until something breaks. Defence: the container's memory limit with no
// swap; the kernel's OOM killer ends the greedy process inside that container only. The host, the
// server and other sessions are untouched, and OomKillDisable stays false (PWD set it true: don't).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SandboxSession } from '@/sandbox';
import { sandboxFixture, startLab, type SandboxFixture } from '../../support/sandbox';

let fixture: SandboxFixture;
let bystander: SandboxSession;

beforeAll(async () => {
  fixture = sandboxFixture();
  bystander = await startLab(fixture);
});
afterAll(() => fixture.dispose());

describe('memory bomb', () => {
  it('is OOM-killed inside its own container, which keeps running, while others answer', async () => {
    const victim = await startLab(fixture, { memoryMiB: 128 });
    const hog = await fixture.manager.exec(victim.id, {
      argv: ['python3', '-c', 'blocks = []\nwhile True:\n    blocks.append(bytearray(16 * 1024 * 1024))'],
      timeoutMs: 60_000,
    });
    expect(hog.timedOut).toBe(false);
    expect(hog.exitCode).toBe(137); // SIGKILL from the OOM killer
    const after = await fixture.manager.exec(victim.id, { argv: ['echo', 'alive'] });
    expect(after.stdout).toBe('alive\n');
    expect((await fixture.manager.usage(victim.id)).memoryBytes).toBeLessThanOrEqual(128 * 1024 * 1024);
    const other = await fixture.manager.exec(bystander.id, { argv: ['echo', 'fine'] });
    expect(other.stdout).toBe('fine\n');
    await fixture.manager.stop(victim.id);
  });
});
