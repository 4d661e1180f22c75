import { ImageBuildError } from '../errors';
import type { ContainerRuntime, ImageInfo } from '../runtime/runtime';
import { ensureBaseImage, type BaseImageOutcome } from './base-image';
import { bundleOutputs, writeBundles } from './bundles';
import { normalizeTag, readImageCatalog, type ImageCatalog, type LabImageSpec } from './catalog';
import { contextHash, listContextFiles } from './context-hash';
import type { OnImageProgress } from './progress';

/** The label that records which build context an image was built from. */
export const CONTEXT_HASH_LABEL = 'keiko.context-hash';

export interface LabImageOutcome {
  tag: string;
  status: 'up-to-date' | 'built';
  image: ImageInfo;
  durationMs: number;
}

export interface PrepareImagesOptions {
  /** Scratch space for bootstrapping base images (inside the data directory). */
  workDir: string;
  onProgress: OnImageProgress;
  /** Build only these lab images (folder names under labs/images/), and the bases they need. */
  only?: string[];
  /** Rebuild lab images even when their build context has not changed. */
  force?: boolean;
  /** Lab images built at once, each as soon as the images it starts FROM are ready (default 3). */
  concurrency?: number;
  /** Build every layer again, ignoring the engine's layer cache (benchmarks). */
  noCache?: boolean;
}

/**
 * Independent images build side by side: most of a build is apt downloading and unpacking, which
 * leaves the engine's CPU idle half the time, so three at once fill two cores without starving them.
 */
export const DEFAULT_BUILD_CONCURRENCY = 3;

export interface PrepareImagesResult {
  bases: BaseImageOutcome[];
  labs: LabImageOutcome[];
}

export interface ImageStatus {
  name: string;
  built: boolean;
  /** Built from the build context as it is now on disk. */
  current: boolean;
}

/**
 * Makes every image the labs need: each base image the Dockerfiles start from, then each lab image
 * whose build context changed, as soon as the images it starts FROM are ready (up to `concurrency`
 * at once). A failed image does not stop the others; its dependents are skipped, and the call
 * rejects once everything else is done. A second call with nothing changed makes no build call.
 */
export async function prepareImages(
  runtime: ContainerRuntime,
  imagesDir: string,
  options: PrepareImagesOptions,
): Promise<PrepareImagesResult> {
  const catalog = selectImages(readImageCatalog(imagesDir), options.only);
  for (const tag of catalog.bases)
    options.onProgress({ image: tag, phase: 'wait', message: `${tag}: queued` });
  for (const spec of catalog.labs)
    options.onProgress({ image: spec.tag, phase: 'wait', message: `${spec.tag}: queued` });
  const bases = await Promise.allSettled(
    catalog.bases.map((tag) => reportFailure(tag, options, ensureBaseImage(runtime, tag, options))),
  );
  const baseFailures = new Map(
    catalog.bases.flatMap((tag, index) => {
      const outcome = bases[index];
      return outcome?.status === 'rejected' ? [[tag, outcome.reason as Error] as const] : [];
    }),
  );
  const slots = limiter(options.concurrency ?? DEFAULT_BUILD_CONCURRENCY);
  const builds = new Map<string, Promise<LabImageOutcome>>();
  // catalog.labs is in build order: an image's own parents are already in the map.
  for (const spec of catalog.labs) {
    const parents = spec.from.map(normalizeTag);
    const build = (async (): Promise<LabImageOutcome> => {
      for (const parent of parents) {
        const failed =
          baseFailures.has(parent) ||
          (await builds.get(parent)?.then(
            () => false,
            () => true,
          ));
        if (failed)
          throw new ImageBuildError(`${spec.tag} was not built: ${parent}, which it starts FROM, failed`);
      }
      return slots(() => ensureLabImage(runtime, spec, options));
    })();
    builds.set(spec.tag, reportFailure(spec.tag, options, build));
  }
  const labs = await Promise.allSettled(builds.values());
  const failures = [...bases, ...labs].flatMap((outcome) =>
    outcome.status === 'rejected' ? [outcome.reason as Error] : [],
  );
  if (failures.length === 1) throw failures[0];
  if (failures.length > 1) {
    throw new ImageBuildError(
      `${failures.length} images failed:\n${failures.map((error) => `  ${error.message.split('\n')[0]}`).join('\n')}`,
    );
  }
  return {
    bases: bases.map((outcome) => (outcome as PromiseFulfilledResult<BaseImageOutcome>).value),
    labs: labs.map((outcome) => (outcome as PromiseFulfilledResult<LabImageOutcome>).value),
  };
}

/** Says that an image failed, and why, before passing the rejection on. */
function reportFailure<T>(image: string, options: PrepareImagesOptions, work: Promise<T>): Promise<T> {
  return work.catch((error: unknown) => {
    const message = error instanceof Error ? error.message : String(error);
    options.onProgress({ image, phase: 'failed', message });
    throw error;
  });
}

/** Runs at most `size` of the given tasks at once, the others in the order they asked. */
function limiter(size: number): <T>(task: () => Promise<T>) => Promise<T> {
  let running = 0;
  const queue: (() => void)[] = [];
  return async (task) => {
    if (running >= Math.max(1, size)) await new Promise<void>((resolve) => queue.push(resolve));
    else running += 1;
    try {
      return await task();
    } finally {
      const next = queue.shift();
      if (next) next();
      else running -= 1;
    }
  };
}

export async function ensureLabImage(
  runtime: ContainerRuntime,
  spec: LabImageSpec,
  options: Pick<PrepareImagesOptions, 'onProgress' | 'force'> & { noCache?: boolean },
): Promise<LabImageOutcome> {
  const started = performance.now();
  const { hash, files } = await desiredHash(runtime, spec, {
    onWritten: (name) =>
      options.onProgress({
        image: spec.tag,
        phase: 'check',
        message: `bundled ${name} into ${spec.contextDir}`,
      }),
  });
  const existing = await runtime.inspectImage(spec.tag);
  if (existing && existing.labels[CONTEXT_HASH_LABEL] === hash && !options.force) {
    options.onProgress({ image: spec.tag, phase: 'done', message: `${spec.tag} is up to date` });
    return { tag: spec.tag, status: 'up-to-date', image: existing, durationMs: performance.now() - started };
  }
  options.onProgress({
    image: spec.tag,
    phase: 'build',
    message: existing ? `${spec.tag}: build context changed, rebuilding` : `building ${spec.tag}`,
  });
  const image = await runtime.buildImage(
    {
      tag: spec.tag,
      contextDir: spec.contextDir,
      files,
      labels: { [CONTEXT_HASH_LABEL]: hash, 'keiko.image': spec.name },
      noCache: options.noCache,
    },
    (line) => options.onProgress({ image: spec.tag, phase: 'build', message: line }),
  );
  options.onProgress({
    image: spec.tag,
    phase: 'done',
    message: `${spec.tag} built (${image.id.slice(7, 19)})`,
  });
  return { tag: spec.tag, status: 'built', image, durationMs: performance.now() - started };
}

/** Whether each base and lab image exists and is current, without building anything. */
export async function imageStatuses(runtime: ContainerRuntime, imagesDir: string): Promise<ImageStatus[]> {
  const catalog = readImageCatalog(imagesDir);
  const statuses: ImageStatus[] = [];
  for (const tag of catalog.bases) {
    const built = (await runtime.inspectImage(tag)) !== undefined;
    statuses.push({ name: tag, built, current: built });
  }
  for (const spec of catalog.labs) {
    const existing = await runtime.inspectImage(spec.tag);
    const current =
      existing !== undefined &&
      (await desiredHash(runtime, spec).catch(() => undefined))?.hash === existing.labels[CONTEXT_HASH_LABEL];
    statuses.push({ name: spec.tag, built: existing !== undefined, current });
  }
  return statuses;
}

/**
 * The context hash the image would be built with now. Bundles (bundle.json) are made first; with
 * `onWritten` they are written into the folder for the build, without it (a status check) they are
 * hashed from memory and the folder is left alone.
 */
async function desiredHash(
  runtime: ContainerRuntime,
  spec: LabImageSpec,
  write?: { onWritten: (name: string) => void },
): Promise<{ hash: string; files: string[] }> {
  const parentIds: string[] = [];
  for (const parent of spec.from) {
    const image = await runtime.inspectImage(normalizeTag(parent));
    if (!image) {
      throw new ImageBuildError(
        `${spec.tag} starts FROM ${parent}, which is not built yet; build the images in order.`,
      );
    }
    parentIds.push(image.id);
  }
  const generated = await bundleOutputs(spec.contextDir);
  if (write) for (const name of await writeBundles(spec.contextDir, generated)) write.onWritten(name);
  const files = listContextFiles(spec.contextDir);
  return { hash: contextHash(spec.contextDir, files, parentIds, generated), files };
}

function selectImages(catalog: ImageCatalog, only: string[] | undefined): ImageCatalog {
  if (!only?.length) return catalog;
  const byName = new Map(catalog.labs.map((spec) => [spec.name, spec]));
  const unknown = only.filter((name) => !byName.has(name));
  if (unknown.length) {
    throw new ImageBuildError(
      `no lab image named ${unknown.join(', ')}; known: ${[...byName.keys()].join(', ') || '(none)'}`,
    );
  }
  // Keep build order, and pull in the lab images the selected ones start FROM.
  const wanted = new Set<string>();
  const add = (spec: LabImageSpec): void => {
    if (wanted.has(spec.tag)) return;
    wanted.add(spec.tag);
    for (const parent of spec.from) {
      const own = catalog.labs.find((candidate) => candidate.tag === normalizeTag(parent));
      if (own) add(own);
    }
  };
  for (const name of only) add(byName.get(name)!); // checked above that every name exists
  const labs = catalog.labs.filter((spec) => wanted.has(spec.tag));
  const ownTags = new Set(catalog.labs.map((spec) => spec.tag));
  const bases = [
    ...new Set(labs.flatMap((spec) => spec.from).filter((ref) => !ownTags.has(normalizeTag(ref)))),
  ];
  return { bases, labs };
}
