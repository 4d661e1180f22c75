import fs from 'node:fs';
import path from 'node:path';
import { ImageBuildError } from '../errors';

/** The tag prefix of every image Keiko builds from `labs/images/<name>/`. */
export const LAB_IMAGE_REPOSITORY_PREFIX = 'keiko/';

export interface LabImageSpec {
  /** The folder name under labs/images/, e.g. `bottle`. */
  name: string;
  /** The tag the image is built under, e.g. `keiko/bottle:latest`. */
  tag: string;
  contextDir: string;
  /** The images named by the Dockerfile's FROM lines, in order. */
  from: string[];
}

export interface ImageCatalog {
  /** Images the Dockerfiles start from that Keiko does not build: pulled, or bootstrapped. */
  bases: string[];
  /** Lab images in build order (an image comes after any lab image it starts FROM). */
  labs: LabImageSpec[];
}

export function labImageTag(name: string): string {
  return `${LAB_IMAGE_REPOSITORY_PREFIX}${name}:latest`;
}

/** Reads `labs/images/<name>/Dockerfile` for every name and orders them for building. */
export function readImageCatalog(imagesDir: string): ImageCatalog {
  if (!fs.existsSync(imagesDir)) return { bases: [], labs: [] };
  const specs = fs
    .readdirSync(imagesDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && fs.existsSync(path.join(imagesDir, entry.name, 'Dockerfile')))
    .map((entry): LabImageSpec => {
      const contextDir = path.join(imagesDir, entry.name);
      const dockerfile = fs.readFileSync(path.join(contextDir, 'Dockerfile'), 'utf8');
      return {
        name: entry.name,
        tag: labImageTag(entry.name),
        contextDir,
        from: parseFromImages(dockerfile),
      };
    })
    .sort((a, b) => a.name.localeCompare(b.name));
  const ownTags = new Set(specs.map((spec) => spec.tag));
  const bases = [
    ...new Set(specs.flatMap((spec) => spec.from).filter((ref) => !ownTags.has(normalizeTag(ref)))),
  ];
  return { bases, labs: buildOrder(specs) };
}

/** The images a Dockerfile's FROM lines name, skipping references to earlier build stages. */
export function parseFromImages(dockerfile: string): string[] {
  const stages = new Set<string>();
  const images: string[] = [];
  for (const rawLine of dockerfile.split('\n')) {
    const match = /^\s*FROM\s+(?:--platform=\S+\s+)?(\S+)(?:\s+AS\s+(\S+))?\s*$/i.exec(rawLine);
    if (!match?.[1]) continue;
    const image = match[1];
    if (!stages.has(image.toLowerCase()) && image !== 'scratch') images.push(image);
    if (match[2]) stages.add(match[2].toLowerCase());
  }
  return images;
}

export function normalizeTag(reference: string): string {
  const lastSegment = reference.slice(reference.lastIndexOf('/') + 1);
  return lastSegment.includes(':') || lastSegment.includes('@') ? reference : `${reference}:latest`;
}

function buildOrder(specs: LabImageSpec[]): LabImageSpec[] {
  const byTag = new Map(specs.map((spec) => [spec.tag, spec]));
  const ordered: LabImageSpec[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (spec: LabImageSpec, trail: string[]): void => {
    if (state.get(spec.tag) === 'done') return;
    if (state.get(spec.tag) === 'visiting') {
      throw new ImageBuildError(
        `lab images start FROM each other in a cycle: ${[...trail, spec.name].join(' -> ')}`,
      );
    }
    state.set(spec.tag, 'visiting');
    for (const parent of spec.from) {
      const own = byTag.get(normalizeTag(parent));
      if (own) visit(own, [...trail, spec.name]);
    }
    state.set(spec.tag, 'done');
    ordered.push(spec);
  };
  for (const spec of specs) visit(spec, []);
  return ordered;
}
