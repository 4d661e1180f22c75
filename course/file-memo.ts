import fs from 'node:fs';

const memo = new Map<string, { signature: string; value: unknown }>();

/** Size and modification time of each file (absent files count too), as one string. */
function signatureOf(files: string[]): string {
  return files
    .map((file) => {
      try {
        const stat = fs.statSync(file);
        return `${file}:${stat.size}:${stat.mtimeMs}`;
      } catch {
        return `${file}:absent`;
      }
    })
    .join('|');
}

/**
 * The value computed from some files, computed again only when one of them changed (or a file was
 * added or removed): a server reads its courses and labs on every request, and an instructor's edit
 * still shows at once. Callers must not mutate what they get.
 */
export function memoizeByFiles<T>(key: string, files: string[], compute: () => T): T {
  const signature = signatureOf(files);
  const cached = memo.get(key);
  if (cached?.signature === signature) return cached.value as T;
  const value = compute();
  memo.set(key, { signature, value });
  return value;
}

/** `dir/<entry>/<name>` for every sub-folder of dir, whether or not the file exists. */
export function filesInSubfolders(dir: string, name: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => `${dir}/${entry.name}/${name}`)
    .sort();
}
