/**
 * Programs of this repository that a lab image ships, bundled into its build context before the
 * context is hashed. A folder `labs/images/<name>/` may hold a `bundle.json`:
 *
 *   { "bundles": [{ "entry": "proxy/cli.ts", "out": "h2proxy.mjs" }] }
 *
 * Each `entry` (a TypeScript file, relative to the project root: the nearest folder above the image
 * folder with a package.json) is bundled with esbuild into one ES module `out` in the image folder,
 * with a `#!/usr/bin/env node` line, for the Node of the image (`target`, default Debian bookworm's
 * node18). The Dockerfile then COPYs `out` like any file; `out` is generated, so it is gitignored.
 * Because the bundle is part of the context, a change to the program's source rebuilds the image.
 */
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { ImageBuildError } from '../errors';

export const BUNDLE_FILE = 'bundle.json';

const RelativeSourcePath = z
  .string()
  .min(1)
  .refine(
    (value) => !path.isAbsolute(value) && !value.split(/[\\/]/).includes('..'),
    'must be a path inside the project, relative to its root, without ".."',
  )
  .refine((value) => /\.(ts|mts|js|mjs)$/.test(value), 'must name a .ts, .mts, .js or .mjs file');

const OutputName = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'must be a plain file name in the image folder')
  .refine(
    (value) => value !== 'Dockerfile' && value !== BUNDLE_FILE,
    'must not replace Dockerfile or bundle.json',
  );

export const BundleSpecSchema = z
  .object({
    bundles: z
      .array(
        z
          .object({
            entry: RelativeSourcePath,
            out: OutputName,
            target: z
              .string()
              .regex(/^node\d+(\.\d+)*$/, 'must be an esbuild Node target such as node18')
              .default('node18'),
          })
          .strict(),
      )
      .min(1),
  })
  .strict()
  .refine(
    (spec) => new Set(spec.bundles.map((bundle) => bundle.out)).size === spec.bundles.length,
    'two bundles write the same out file',
  );
export type BundleSpec = z.infer<typeof BundleSpecSchema>;

/** The image folder's bundle.json, checked; undefined when there is none. */
export function readBundleSpec(contextDir: string): BundleSpec | undefined {
  const file = path.join(contextDir, BUNDLE_FILE);
  if (!fs.existsSync(file)) return undefined;
  return parseBundleSpec(fs.readFileSync(file, 'utf8'), file);
}

export function parseBundleSpec(text: string, file: string): BundleSpec {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new ImageBuildError(`${file} is not JSON: ${(error as Error).message}`);
  }
  const parsed = BundleSpecSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.length ? `${issue.path.join('.')}: ` : '';
    throw new ImageBuildError(`${file} ${where}${issue?.message ?? 'is not a bundle spec'}`);
  }
  return parsed.data;
}

/** The nearest folder above the image folder with a package.json: where bundle entries are found. */
export function projectRootOf(contextDir: string): string {
  let dir = path.dirname(path.resolve(contextDir));
  for (;;) {
    if (fs.existsSync(path.join(dir, 'package.json'))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) {
      throw new ImageBuildError(
        `no package.json above ${contextDir}: bundle.json entries need a project root`,
      );
    }
    dir = parent;
  }
}

/** Each bundle's bytes by its `out` name, made in memory; empty when the folder has no bundle.json. */
/** Last bundles per image folder, with the files they were made from (as esbuild reported them). */
const madeFrom = new Map<string, { signature: string; inputs: string[]; outputs: Map<string, Buffer> }>();

/** Size and modification time of each file, as one string: a changed source changes it. */
function filesSignature(files: string[]): string {
  return files
    .map((file) => {
      const stat = fs.statSync(file, { throwIfNoEntry: false });
      return `${file}:${stat ? `${stat.size}:${stat.mtimeMs}` : 'absent'}`;
    })
    .join('|');
}

/**
 * The bundles an image folder asks for, made again only when one of their source files (or
 * bundle.json) changed: the health report asks for them on every request to compare context hashes.
 */
export async function bundleOutputs(contextDir: string): Promise<Map<string, Buffer>> {
  const previous = madeFrom.get(contextDir);
  if (previous && filesSignature(previous.inputs) === previous.signature) return previous.outputs;
  const { outputs, inputs } = await makeBundles(contextDir);
  const all = [path.join(contextDir, BUNDLE_FILE), ...inputs];
  madeFrom.set(contextDir, { signature: filesSignature(all), inputs: all, outputs });
  return outputs;
}

async function makeBundles(contextDir: string): Promise<{ outputs: Map<string, Buffer>; inputs: string[] }> {
  const inputs: string[] = [];
  const spec = readBundleSpec(contextDir);
  const outputs = new Map<string, Buffer>();
  if (!spec) return { outputs, inputs };
  const root = projectRootOf(contextDir);
  // Loaded only when an image has bundles: esbuild's API starts its own service process.
  const { build } = await import('esbuild');
  for (const bundle of spec.bundles) {
    // The entry is data (bundle.json), not a module of the web app: keep Next's file tracing out of it.
    const entry = path.join(/* turbopackIgnore: true */ root, bundle.entry);
    if (!fs.existsSync(entry)) {
      throw new ImageBuildError(
        `${path.join(contextDir, BUNDLE_FILE)}: the entry ${bundle.entry} does not exist`,
      );
    }
    try {
      const result = await build({
        absWorkingDir: root,
        entryPoints: [entry],
        bundle: true,
        platform: 'node',
        target: bundle.target,
        format: 'esm',
        // Generated code follows neither the project's lint rules nor its style: say so in the file.
        banner: {
          js: `#!/usr/bin/env node\n// Generated by \`keiko images build\` from ${bundle.entry} (bundle.json): do not edit.\n/* eslint-disable */`,
        },
        legalComments: 'none',
        logLevel: 'silent',
        write: false,
        metafile: true,
      });
      inputs.push(...Object.keys(result.metafile.inputs).map((input) => path.resolve(root, input)));
      const [file] = result.outputFiles;
      if (!file) throw new Error('esbuild wrote nothing');
      outputs.set(bundle.out, Buffer.from(file.contents));
    } catch (error) {
      throw new ImageBuildError(
        `bundling ${bundle.entry} for ${contextDir} failed: ${(error as Error).message}`,
      );
    }
  }
  return { outputs, inputs };
}

/**
 * Writes each bundle into the image folder, touching only files whose bytes changed (an unchanged
 * program leaves the folder, and so the image, as it was). Returns the names it wrote.
 */
export async function writeBundles(contextDir: string, outputs?: Map<string, Buffer>): Promise<string[]> {
  const written: string[] = [];
  for (const [name, bytes] of outputs ?? (await bundleOutputs(contextDir))) {
    const file = path.join(contextDir, name);
    const same = fs.existsSync(file) && fs.readFileSync(file).equals(bytes);
    if (!same) {
      fs.writeFileSync(file, bytes);
      written.push(name);
    }
    // Not executable in the context: the Dockerfile sets the mode it installs the program with.
    fs.chmodSync(file, 0o644);
  }
  return written;
}
