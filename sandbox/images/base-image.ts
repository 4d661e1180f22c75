import path from 'node:path';
import { describeError, ImageBuildError } from '../errors';
import type { ContainerRuntime, ImageInfo } from '../runtime/runtime';
import { debootstrapRootfs } from './debootstrap';
import type { OnImageProgress } from './progress';

const PULL_TIMEOUT_MS = 60_000; // 60 s: a reachable registry answers long before this
const BOOTSTRAP_LABEL = 'keiko.base-source';

export type BaseImageOutcome =
  | { tag: string; status: 'present'; image: ImageInfo }
  | { tag: string; status: 'pulled'; image: ImageInfo }
  | { tag: string; status: 'bootstrapped'; image: ImageInfo; pullError: string };

/**
 * `debian:<suite>` and `debian:<suite>-slim` (under any registry or namespace) can be made locally
 * with debootstrap; nothing else can.
 */
export function bootstrappableSuite(tag: string): string | undefined {
  const match = /(?:^|\/)debian:([a-z]+)(?:-slim)?$/.exec(tag);
  return match?.[1];
}

/**
 * Makes sure the engine has the base image a Dockerfile names: it is there already, or it is pulled,
 * or, when no registry answers, it is bootstrapped with debootstrap and imported under that tag.
 */
export async function ensureBaseImage(
  runtime: ContainerRuntime,
  tag: string,
  options: { workDir: string; onProgress: OnImageProgress; forceBootstrap?: boolean },
): Promise<BaseImageOutcome> {
  const say = (phase: 'check' | 'pull' | 'bootstrap' | 'import' | 'done', message: string) =>
    options.onProgress({ image: tag, phase, message });
  const existing = await runtime.inspectImage(tag);
  if (existing) {
    say('done', `${tag} is present (${existing.id.slice(7, 19)})`);
    return { tag, status: 'present', image: existing };
  }
  let pullError = 'pull skipped';
  if (!options.forceBootstrap) {
    say('pull', `pulling ${tag}`);
    try {
      await runtime.pullImage(tag, { timeoutMs: PULL_TIMEOUT_MS });
      const image = await runtime.inspectImage(tag);
      if (image) {
        say('done', `${tag} pulled`);
        return { tag, status: 'pulled', image };
      }
    } catch (error) {
      pullError = describeError(error);
      say('pull', `cannot pull ${tag}: ${pullError.split('\n')[0]}`);
    }
  }
  const suite = bootstrappableSuite(tag);
  if (!suite) {
    throw new ImageBuildError(
      `the base image ${tag} is not on this engine and cannot be pulled (${pullError}). ` +
        'Only debian:<suite> images can be bootstrapped locally; load this one with `docker load` or change the FROM line.',
    );
  }
  say('bootstrap', `building ${tag} from Debian "${suite}" with debootstrap (about a minute)`);
  const rootfs = await debootstrapRootfs({
    suite,
    workDir: path.join(options.workDir, `debootstrap-${suite}`),
    onLine: (line) => say('bootstrap', line),
  });
  try {
    say('import', `importing the root filesystem as ${tag}`);
    const image = await runtime.importImage(rootfs.tar(), {
      tag,
      changes: [
        'CMD ["bash"]',
        'ENV LANG=C.UTF-8',
        `LABEL ${BOOTSTRAP_LABEL}=debootstrap keiko.base-suite=${suite}`,
      ],
    });
    say('done', `${tag} bootstrapped (${image.id.slice(7, 19)})`);
    return { tag, status: 'bootstrapped', image, pullError };
  } finally {
    rootfs.dispose();
  }
}
