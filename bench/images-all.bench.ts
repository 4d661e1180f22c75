import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { bundleOutputs, DockerRuntime, prepareImages, readImageCatalog, type ImageProgress } from '@/sandbox';
import type { Benchmark } from './types';

const ROOT = path.resolve(import.meta.dirname, '..');
/** Copies are built under this prefix (keiko/bench-bottle, …): the lab images in use stay untouched. */
const PREFIX = 'bench-';
const CONCURRENCY = Number(process.env.BENCH_IMAGES_CONCURRENCY ?? 3);

/**
 * Copies labs/images/ with every folder (and so every tag) renamed, the FROM lines between lab images
 * pointing at the copies, and bundles made ahead (their entries are paths in this repository).
 */
async function copyImages(into: string): Promise<string[]> {
  const source = path.join(ROOT, 'labs', 'images');
  const names = readImageCatalog(source).labs.map((spec) => spec.name);
  for (const name of names) {
    const from = path.join(source, name);
    const to = path.join(into, `${PREFIX}${name}`);
    fs.mkdirSync(to, { recursive: true });
    const bundles = await bundleOutputs(from);
    for (const file of fs.readdirSync(from)) {
      if (file === 'bundle.json' || bundles.has(file)) continue;
      let text = fs.readFileSync(path.join(from, file));
      if (file === 'Dockerfile') {
        text = Buffer.from(
          text.toString('utf8').replace(/^(\s*FROM\s+)keiko\/([\w.-]+)/gim, `$1keiko/${PREFIX}$2`),
        );
      }
      fs.writeFileSync(path.join(to, file), text);
    }
    for (const [file, bytes] of bundles) fs.writeFileSync(path.join(to, file), bytes);
  }
  return names.map((name) => `keiko/${PREFIX}${name}:latest`);
}

/**
 * Every lab image from nothing (no layer cache), the way `keiko images build` makes them now (up to
 * BENCH_IMAGES_CONCURRENCY at once, each when its parents are ready) beside one after another (how
 * it made them before), in the same run, on copies under other names. The base image is there already.
 */
const benchmark: Benchmark = {
  name: 'images-all',
  description: `every lab image, no cache: ${CONCURRENCY} at once vs one after another (copies named keiko/${PREFIX}*)`,
  budgetMs: 60 * 60_000,
  async run(log, { signal }) {
    const runtime = new DockerRuntime({ dockerHost: process.env.DOCKER_HOST });
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'keiko-bench-images-'));
    let tags: string[] = [];
    const build = async (concurrency: number): Promise<number> => {
      if (signal.aborted) throw new Error('stopped: over its time budget');
      const started = performance.now();
      const progress = (event: ImageProgress) => {
        if (event.phase === 'done' || event.phase === 'failed') log(`  ${event.message.split('\n')[0]}`);
      };
      await prepareImages(runtime, dir, {
        workDir: os.tmpdir(),
        onProgress: progress,
        force: true,
        noCache: true,
        concurrency,
      });
      return (performance.now() - started) / 1000;
    };
    try {
      tags = await copyImages(dir);
      // Concurrent first: whatever a first run warms (the mirror's cache) favours the baseline.
      log(`${CONCURRENCY} at once`);
      const ours = await build(CONCURRENCY);
      log(`${ours.toFixed(0)} s; one after another`);
      const sequential = await build(1);
      log(`${sequential.toFixed(0)} s`);
      return [
        {
          metric: `every lab image (${tags.length}), no cache`,
          unit: 's',
          ours,
          baseline: sequential,
          baselineName: 'the same builds one after another (as before)',
          samples: 1,
        },
      ];
    } finally {
      for (const tag of [...tags].reverse()) await runtime.removeImage(tag).catch(() => {});
      fs.rmSync(dir, { recursive: true, force: true });
    }
  },
};

export default benchmark;
