import fs from 'node:fs';
import path from 'node:path';
import { DockerRuntime, prepareImages } from '@/sandbox';
import { loadLabs } from '@/course';
import { processEnv, projectPaths } from '@/platform';
import { DATA_DIR_MODE } from '@/store';
import { CliError } from '../errors';
import { ImageProgressDisplay } from '../image-progress-display';
import { PROJECT_ROOT } from '../project-root';

/**
 * `keiko images build`: the base images and every lab image, one progress line per image on stderr,
 * the builds' own output in a log file under the data directory. It needs the engine and the paths,
 * not the store: `npm run up` starts it while npm still compiles better-sqlite3 (scripts/prepare.mjs).
 */
export async function buildImages(options: {
  images: string[];
  labs: string[];
  force: boolean;
  json: boolean;
}): Promise<number> {
  const env = processEnv(PROJECT_ROOT);
  const paths = projectPaths(PROJECT_ROOT, env);
  const runtime = new DockerRuntime({ dockerHost: env.DOCKER_HOST });
  const only = [...options.images, ...imagesOfLabs(paths.labsDir, options.labs)];
  const engine = await runtime.engineInfo();
  if (!engine.reachable) {
    throw new CliError(
      `the Docker engine at ${engine.endpoint} is not reachable (${engine.error}).\n` +
        "Start one with `npm run up` (it installs and starts Debian's docker.io when run as root), " +
        'or set DOCKER_HOST to a running engine.',
    );
  }
  // The data directory holds the server's secret: made owner-only here as the store would make it.
  fs.mkdirSync(env.dataDir, { recursive: true, mode: DATA_DIR_MODE });
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const display = new ImageProgressDisplay({
    out: process.stderr,
    tty: process.stderr.isTTY === true,
    logFile: path.join(paths.logDir, `images-${stamp}.log`),
  });
  let result;
  try {
    result = await prepareImages(runtime, paths.imagesDir, {
      workDir: paths.workDir,
      onProgress: display.onProgress,
      only,
      force: options.force,
    });
  } finally {
    display.finish();
  }
  const summary = [
    ...result.bases.map((base) => ({ image: base.tag, status: base.status })),
    ...result.labs.map((lab) => ({
      image: lab.tag,
      status: lab.status,
      seconds: +(lab.durationMs / 1000).toFixed(1),
    })),
  ];
  // Without --json the display above has said it all, image by image.
  if (options.json) console.log(JSON.stringify(summary, null, 2));
  return 0;
}

/** The image folder names the given labs run on; an unknown lab id is an error that lists the known ones. */
function imagesOfLabs(labsDir: string, labIds: string[]): string[] {
  if (labIds.length === 0) return [];
  const labs = loadLabs(labsDir);
  return labIds.map((id) => {
    const lab = labs.find((candidate) => candidate.id === id);
    if (!lab) throw new CliError(`no lab "${id}"; known: ${labs.map((l) => l.id).join(', ') || '(none)'}`);
    return lab.image;
  });
}
