import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/** Every regular file under dir, as sorted POSIX paths relative to it. */
export function listContextFiles(dir: string): string[] {
  const files: string[] = [];
  const walk = (relative: string): void => {
    for (const entry of fs.readdirSync(path.join(dir, relative), { withFileTypes: true })) {
      const child = relative ? `${relative}/${entry.name}` : entry.name;
      if (entry.isDirectory()) walk(child);
      else if (entry.isFile()) files.push(child);
    }
  };
  walk('');
  return files.sort();
}

/**
 * A digest of everything that decides what a build produces: each file's path, executable bit and
 * bytes, and the IDs of the images it starts from. Equal digests mean a rebuild would change nothing.
 * `generated` gives the bytes of files made for the build (bundles, see bundles.ts) that may not be on
 * disk yet, or not as they will be: they count as non-executable files with these bytes.
 */
export function contextHash(
  dir: string,
  files: string[],
  parentImageIds: string[],
  generated: ReadonlyMap<string, Buffer> = new Map(),
): string {
  const hash = createHash('sha256');
  for (const id of parentImageIds) hash.update(`parent ${id}\n`);
  for (const file of [...new Set([...files, ...generated.keys()])].sort()) {
    const made = generated.get(file);
    const full = path.join(dir, file);
    const executable = made ? false : (fs.statSync(full).mode & 0o111) !== 0;
    const content = made ?? fs.readFileSync(full);
    hash.update(`file ${file} ${executable ? 'x' : '-'} ${content.length}\n`);
    hash.update(content);
  }
  return hash.digest('hex');
}
