// `keiko doctor` against the real engine: everything the platform needs is there after preparation.
import { afterAll, describe, expect, it } from 'vitest';
import { runNode } from '../../support/cli';
import { tempDir } from '../../support/temp';

const data = tempDir('doctor');
afterAll(() => data.remove());

describe('keiko doctor', () => {
  it('reports Node, a reachable engine, every image built and a writable store', async () => {
    const result = await runNode(['doctor', '--json'], { env: { KEIKO_DATA_DIR: data.dir } });
    const health = JSON.parse(result.stdout) as {
      ok: boolean;
      docker: { reachable: boolean; version: string };
      images: { name: string; built: boolean }[];
      store: { ok: boolean; path: string };
    };
    expect(health.docker.reachable).toBe(true);
    expect(health.docker.version).toMatch(/^\d+\.\d+/);
    expect(health.images.map((image) => image.name)).toContain('keiko/probe:latest');
    expect(health.images.every((image) => image.built)).toBe(true);
    expect(health.store).toMatchObject({ ok: true, path: `${data.dir}/keiko.db` });
    expect(health.ok).toBe(true);
    expect(result.code).toBe(0);
  });

  it('prints a readable report without --json', async () => {
    const result = await runNode(['doctor'], { env: { KEIKO_DATA_DIR: data.dir } });
    expect(result.stdout).toMatch(/^ok\s+Node /m);
    expect(result.stdout).toMatch(/^ok\s+Docker engine /m);
    expect(result.stdout).toMatch(/Keiko is ready\./);
  });
});
