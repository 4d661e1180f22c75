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
}

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
 * whose build context changed. A second call with nothing changed makes no build call at all.
 */
export async function prepareImages(
  runtime: ContainerRuntime,
  imagesDir: string,
  options: PrepareImagesOptions,
): Promise<PrepareImagesResult> {
  const catalog = selectImages(readImageCatalog(imagesDir), options.only);
  const bases: BaseImageOutcome[] = [];
  for (const tag of catalog.bases) bases.push(await ensureBaseImage(runtime, tag, options));
  const labs: LabImageOutcome[] = [];
  for (const spec of catalog.labs) labs.push(await ensureLabImage(runtime, spec, options));
  return { bases, labs };
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
