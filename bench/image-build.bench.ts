import path from 'node:path';
import {
  DockerRuntime,
  ensureLabImage,
  listContextFiles,
  readImageCatalog,
  type LabImageSpec,
} from '@/sandbox';
import { bareBuild, bareDocker } from './baselines/docker';
import { median, timeRuns } from './stats';
import type { Benchmark, BenchRow } from './types';

const IMAGE = process.env.BENCH_IMAGE ?? 'bottle';
const COLD_RUNS = Number(process.env.BENCH_COLD_RUNS ?? 3);
const WARM_RUNS = Number(process.env.BENCH_WARM_RUNS ?? 20);
const OURS_TAG = 'keiko-bench/ours:latest';
const BARE_TAG = 'keiko-bench/bare:latest';

/**
 * Lab image build time. Cold: every layer rebuilt (no cache), ours vs a bare dockerode build.
 * Warm: nothing changed, ours (which skips the build) vs a bare dockerode build with its layer cache.
 */
const benchmark: Benchmark = {
  name: 'image-build',
  description: `lab image "${IMAGE}" build, cold (no cache) and warm (unchanged folder)`,
  async run(log) {
    const root = path.resolve(import.meta.dirname, '..');
    const catalogSpec = readImageCatalog(path.join(root, 'labs', 'images')).labs.find(
      (spec) => spec.name === IMAGE,
    );
    if (!catalogSpec) throw new Error(`no lab image ${IMAGE} under labs/images/`);
    const spec: LabImageSpec = { ...catalogSpec, tag: OURS_TAG };
    const runtime = new DockerRuntime({ dockerHost: process.env.DOCKER_HOST });
    const docker = bareDocker();
    const files = listContextFiles(spec.contextDir);
    const quiet = { onProgress: () => {} };
    try {
      log(`cold: ${COLD_RUNS} no-cache builds each`);
      const coldOurs = await timeRuns(COLD_RUNS, () =>
        ensureLabImage(runtime, spec, { ...quiet, force: true, noCache: true }).then(() => {}),
      );
      const coldBare = await timeRuns(COLD_RUNS, () =>
        bareBuild(docker, spec.contextDir, files, BARE_TAG, true),
      );
      log(`warm: ${WARM_RUNS} runs each`);
      await ensureLabImage(runtime, spec, quiet);
      await bareBuild(docker, spec.contextDir, files, BARE_TAG, false);
      const warmOurs = await timeRuns(WARM_RUNS, async () => {
        const outcome = await ensureLabImage(runtime, spec, quiet);
        if (outcome.status !== 'up-to-date') throw new Error('the warm run rebuilt the image');
      });
      const warmBare = await timeRuns(WARM_RUNS, () =>
        bareBuild(docker, spec.contextDir, files, BARE_TAG, false),
      );
      const rows: BenchRow[] = [
        {
          metric: 'cold build (no cache)',
          unit: 's',
          ours: median(coldOurs) / 1000,
          baseline: median(coldBare) / 1000,
          baselineName: 'bare dockerode buildImage, nocache',
          samples: COLD_RUNS,
        },
        {
          metric: 'warm build (unchanged)',
          unit: 'ms',
          ours: median(warmOurs),
          baseline: median(warmBare),
          baselineName: 'bare dockerode buildImage, layer cache',
          samples: WARM_RUNS,
        },
      ];
      return rows;
    } finally {
      await runtime.removeImage(OURS_TAG);
      await runtime.removeImage(BARE_TAG);
    }
  },
};

export default benchmark;
