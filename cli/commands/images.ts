import path from 'node:path';
import { prepareImages } from '@/sandbox';
import { loadLabs } from '@/course';
import { createPlatform } from '@/platform';
import { CliError } from '../errors';
import { ImageProgressDisplay } from '../image-progress-display';
import { PROJECT_ROOT } from '../project-root';

/**
 * `keiko images build`: the base images and every lab image, one progress line per image on stderr,
 * the builds' own output in a log file under the data directory.
 */
export async function buildImages(options: {
  images: string[];
  labs: string[];
  force: boolean;
  json: boolean;
}): Promise<number> {
  const platform = createPlatform({ rootDir: PROJECT_ROOT });
  try {
    const only = [...options.images, ...imagesOfLabs(platform.paths.labsDir, options.labs)];
    const engine = await platform.runtime.engineInfo();
    if (!engine.reachable) {
      throw new CliError(
        `the Docker engine at ${engine.endpoint} is not reachable (${engine.error}).\n` +
          "Start one with `npm run up` (it installs and starts Debian's docker.io when run as root), " +
          'or set DOCKER_HOST to a running engine.',
      );
    }
    const stamp = new Date().toISOString().replace(/[:.]/g, '-');
    const display = new ImageProgressDisplay({
      out: process.stderr,
      tty: process.stderr.isTTY === true,
      logFile: path.join(platform.paths.logDir, `images-${stamp}.log`),
    });
    let result;
    try {
      result = await prepareImages(platform.runtime, platform.paths.imagesDir, {
        workDir: platform.paths.workDir,
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
  } finally {
    await platform.close();
  }
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
