// Lab images are rebuilt only when their folder (or the image they start from) changed: a second
// build of an unchanged folder makes no build call at all. Against the real engine.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  DockerRuntime,
  ensureLabImage,
  prepareImages,
  type ImageProgress,
  type LabImageSpec,
} from '@/sandbox';
import { DATA_DIR_MODE, DATABASE_FILE_NAME } from '@/store';
import { PROJECT_ROOT, runNode } from '../../support/cli';
import { tempDir } from '../../support/temp';

const runtime = new DockerRuntime({ dockerHost: process.env.DOCKER_HOST });
const context = tempDir('rebuild');
const spec: LabImageSpec = {
  name: 'rebuild',
  tag: 'keiko-test/rebuild:latest',
  contextDir: context.dir,
  from: ['debian:bookworm'],
};

afterAll(async () => {
  await runtime.removeImage(spec.tag);
  context.remove();
});

describe('lab image builds', () => {
  it('builds once, then does no work while the folder is unchanged, then rebuilds when it changes', async () => {
    fs.writeFileSync(path.join(context.dir, 'Dockerfile'), 'FROM debian:bookworm\nCOPY marker /marker\n');
    fs.writeFileSync(path.join(context.dir, 'marker'), 'first\n');
    await runtime.removeImage(spec.tag);

    const first = await ensureLabImage(runtime, spec, { onProgress: () => {} });
    expect(first.status).toBe('built');

    const events: ImageProgress[] = [];
    const second = await ensureLabImage(runtime, spec, { onProgress: (e) => events.push(e) });
    expect(second.status).toBe('up-to-date');
    expect(second.image.id).toBe(first.image.id);
    expect(events.filter((e) => e.phase === 'build')).toEqual([]);

    fs.writeFileSync(path.join(context.dir, 'marker'), 'second\n');
    const third = await ensureLabImage(runtime, spec, { onProgress: () => {} });
    expect(third.status).toBe('built');
    expect(third.image.id).not.toBe(first.image.id);
    const marker = await runtime.runOnce({ image: spec.tag, cmd: ['cat', '/marker'], timeoutMs: 30_000 });
    expect(marker.stdout).toBe('second\n');
  });

  it("a second run over the project's lab images makes no build call", async () => {
    const labImagesDir = path.join(PROJECT_ROOT, 'labs', 'images');
    await prepareImages(runtime, labImagesDir, { workDir: context.dir, onProgress: () => {} });
    const events: ImageProgress[] = [];
    const again = await prepareImages(runtime, labImagesDir, {
      workDir: context.dir,
      onProgress: (e) => events.push(e),
    });
    expect(again.labs.length).toBeGreaterThan(0);
    expect(again.labs.every((lab) => lab.status === 'up-to-date')).toBe(true);
    expect(again.bases.every((base) => base.status === 'present')).toBe(true);
    // 'wait' only announces each image before anything runs (the progress display lists them).
    expect(events.filter((e) => e.phase !== 'done' && e.phase !== 'wait')).toEqual([]);
  });

  it('keiko images build --json reports every image as already there', async () => {
    const result = await runNode(['images', 'build', '--json'], { timeoutMs: 600_000 });
    expect(result.code).toBe(0);
    const rows = JSON.parse(result.stdout) as { image: string; status: string }[];
    expect(rows.map((row) => row.image)).toEqual(
      expect.arrayContaining(['debian:bookworm', 'keiko/bottle:latest']),
    );
    expect(rows.every((row) => row.status === 'present' || row.status === 'up-to-date')).toBe(true);
  });

  it('keiko images build opens no store, so npm run up starts it while npm still compiles better-sqlite3', async () => {
    const scratch = tempDir('images-data');
    const dataDir = path.join(scratch.dir, 'data'); // made by the command itself
    try {
      const result = await runNode(['images', 'build', '--json'], {
        env: { KEIKO_DATA_DIR: dataDir },
        timeoutMs: 600_000,
      });
      expect(result.code, result.stderr).toBe(0);
      expect(fs.existsSync(path.join(dataDir, DATABASE_FILE_NAME))).toBe(false);
      expect(fs.readdirSync(path.join(dataDir, 'logs')).some((name) => name.startsWith('images-'))).toBe(
        true,
      );
      expect(fs.statSync(dataDir).mode & 0o777).toBe(DATA_DIR_MODE);
    } finally {
      scratch.remove();
    }
  });
});
