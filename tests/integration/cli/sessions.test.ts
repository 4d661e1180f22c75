// `keiko sessions list` and `keiko sessions stop --all` on the sessions a server left in its store.
import { describe, expect, it } from 'vitest';
import { runNode } from '../../support/cli';
import { leftovers, sandboxFixture, startLab } from '../../support/sandbox';

describe('keiko sessions', () => {
  it('lists the live sessions of a data directory, then stops them all and leaves nothing', async () => {
    const fixture = sandboxFixture();
    const session = await startLab(fixture);
    const env = { KEIKO_DATA_DIR: fixture.dataDir };
    fixture.manager.close();

    const list = await runNode(['sessions', 'list', '--json'], { env });
    expect(list.code).toBe(0);
    expect((JSON.parse(list.stdout) as { id: string }[]).map((s) => s.id)).toEqual([session.id]);

    const stop = await runNode(['sessions', 'stop', '--all'], { env });
    expect(stop.code).toBe(0);
    expect(stop.stderr).toMatch(/stopped 1 sessions/);
    expect(await leftovers(fixture.runtime, session.id)).toBe(0);
    expect((await runNode(['sessions', 'list'], { env })).stdout).toMatch(/no live sessions/);
    await fixture.dispose();
  });
});
