import path from 'node:path';
import type { Readable } from 'node:stream';
import tar from 'tar-stream';
import { FileTooLargeError, SandboxError } from '../errors';
import type { ContainerRuntime } from '../runtime/runtime';

/**
 * Writes one regular file, owned by the given user, through the archive API. Unpacking replaces a
 * symlink at that path with the file instead of writing through it.
 */
export async function writeContainerFile(
  runtime: ContainerRuntime,
  containerId: string,
  filePath: string,
  content: Buffer,
  options: { maxBytes: number; uid: number; gid: number; mode?: number },
): Promise<void> {
  assertAbsolute(filePath);
  if (content.length > options.maxBytes) {
    throw new FileTooLargeError(`the content is ${content.length} bytes; the limit is ${options.maxBytes}`);
  }
  const archive = await packFiles([{ name: path.posix.basename(filePath), content, ...options }]);
  await runtime.writeArchive(containerId, path.posix.dirname(filePath), archive);
}

/** One file of a starter tree: its path relative to the tree's base folder. */
export interface TreeFile {
  relativePath: string;
  content: Buffer;
  mode?: number;
}

/**
 * Packs files below one folder, with the sub-folders they need (owned like the files), after the
 * entries of `before` (an archive already relative to that folder, e.g. a writable place's seed)
 * when given, each of its entry names then put under `prefix`: one archive for both.
 */
export async function packTree(
  files: readonly TreeFile[],
  options: { maxBytes: number; uid: number; gid: number },
  before?: { archive: Buffer | undefined; prefix: string },
): Promise<Buffer> {
  const folders = new Set<string>();
  for (const file of files) {
    if (file.relativePath.startsWith('/') || file.relativePath.split('/').includes('..'))
      throw new SandboxError(`${file.relativePath} must be a relative path inside its folder`);
    if (file.content.length > options.maxBytes)
      throw new FileTooLargeError(
        `${file.relativePath} is ${file.content.length} bytes; the limit is ${options.maxBytes}`,
      );
    const parts = file.relativePath.split('/').slice(0, -1);
    for (let depth = 1; depth <= parts.length; depth += 1) folders.add(parts.slice(0, depth).join('/'));
  }
  const pack = tar.pack();
  if (before?.archive) await copyEntries(before.archive, pack);
  const under = (name: string) => (before?.prefix ? `${before.prefix}/${name}` : name);
  for (const folder of [...folders].sort()) {
    pack.entry({
      name: `${under(folder)}/`,
      type: 'directory',
      mode: 0o755,
      uid: options.uid,
      gid: options.gid,
      mtime: new Date(),
    });
  }
  for (const file of files) {
    pack.entry(
      {
        name: under(file.relativePath),
        size: file.content.length,
        mode: file.mode ?? 0o644,
        uid: options.uid,
        gid: options.gid,
        mtime: new Date(),
      },
      file.content,
    );
  }
  pack.finalize();
  return collect(pack);
}

/** Copies every entry of an archive into a pack, as it is. */
function copyEntries(archive: Buffer, pack: tar.Pack): Promise<void> {
  return new Promise((resolve, reject) => {
    const extract = tar.extract();
    extract.on('entry', (header, stream, next) => stream.pipe(pack.entry(header, next)));
    extract.on('finish', () => resolve());
    extract.on('error', reject);
    extract.end(archive);
  });
}

/**
 * Writes files below one folder in one archive, making the sub-folders they need (owned like the
 * files): a lab's starter tree. Each path is relative to `baseDir`, which must exist.
 */
export async function writeContainerTree(
  runtime: ContainerRuntime,
  containerId: string,
  baseDir: string,
  files: readonly TreeFile[],
  options: { maxBytes: number; uid: number; gid: number },
): Promise<void> {
  assertAbsolute(baseDir);
  await runtime.writeArchive(containerId, baseDir, await packTree(files, options));
}

/**
 * The starter files as one tree below the workdir, when they all lie below it (the usual case);
 * undefined when some lie elsewhere (they go one by one).
 */
export function starterTree(
  files: readonly { path: string; content: Buffer; mode?: number }[],
  workdir: string | undefined,
): { base: string; files: TreeFile[] } | undefined {
  const base = workdir?.replace(/\/$/, '');
  if (!base || files.length === 0 || !files.every((file) => file.path.startsWith(`${base}/`)))
    return undefined;
  return { base, files: files.map((file) => ({ ...file, relativePath: file.path.slice(base.length + 1) })) };
}

/**
 * A lab's starter files, written into its container owned by the learner. The usual case, a starter
 * tree under the workdir, is one archive with its sub-folders; files elsewhere go one by one.
 */
export async function writeStarterFiles(
  runtime: ContainerRuntime,
  containerId: string,
  files: readonly { path: string; content: Buffer; mode?: number }[],
  workdir: string | undefined,
  options: { maxBytes: number; uid: number; gid: number },
): Promise<void> {
  const tree = starterTree(files, workdir);
  if (tree) {
    await writeContainerTree(runtime, containerId, tree.base, tree.files, options);
    return;
  }
  for (const file of files) {
    await writeContainerFile(runtime, containerId, file.path, file.content, { ...options, mode: file.mode });
  }
}

export interface TarFile {
  name: string;
  content: Buffer;
  uid: number;
  gid: number;
  mode?: number;
}

export function packFiles(files: TarFile[]): Promise<Buffer> {
  const pack = tar.pack();
  for (const file of files) {
    pack.entry(
      {
        name: file.name,
        size: file.content.length,
        mode: file.mode ?? 0o644,
        uid: file.uid,
        gid: file.gid,
        mtime: new Date(),
      },
      file.content,
    );
  }
  pack.finalize();
  return collect(pack);
}

/** The owner and mode of a folder, as a tar entry gives them. */
export interface FolderOwner {
  uid: number;
  gid: number;
  /** Permission bits with the sticky, set-uid and set-gid ones (e.g. 0o1777 for /tmp). */
  mode: number;
}

/** A folder's archive relative to the folder itself, with what its own entry says of it. */
export interface RebasedArchive {
  archive: Buffer;
  /** The folder's own entry, when the archive has one. */
  root: FolderOwner | undefined;
  /** How many entries lie below the folder: 0 for an empty folder. */
  contents: number;
  /** The sub-folders it has, relative to it (`app`, `app/static`). */
  folders: Set<string>;
}

/**
 * Turns the engine's archive of a folder (entries named `<folder>/…`) into one whose entries are
 * relative to the folder itself, so it can be unpacked into a mount at that folder.
 */
export async function rebaseArchive(archive: Readable, folderName: string): Promise<RebasedArchive> {
  const extract = tar.extract();
  const pack = tar.pack();
  const prefix = `${folderName}/`;
  let root: FolderOwner | undefined;
  let contents = 0;
  const folders = new Set<string>();
  extract.on('entry', (header, stream, next) => {
    const isRoot = header.name === folderName || header.name === prefix;
    const name = isRoot
      ? './'
      : header.name.startsWith(prefix)
        ? header.name.slice(prefix.length)
        : undefined;
    if (name === undefined) {
      stream.resume();
      stream.on('end', next);
      return;
    }
    if (isRoot) root = { uid: header.uid ?? 0, gid: header.gid ?? 0, mode: (header.mode ?? 0o755) & 0o7777 };
    else contents += 1;
    if (!isRoot && header.type === 'directory') folders.add(name.replace(/\/$/, ''));
    stream.pipe(pack.entry({ ...header, name }, next));
  });
  extract.on('finish', () => pack.finalize());
  extract.on('error', (error) => pack.destroy(error));
  archive.pipe(extract);
  return { archive: await collect(pack), root, contents, folders };
}

/** Reads a tar-stream pack (a streamx stream, not a Node one) to one buffer. */
function collect(stream: tar.Pack): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    stream.on('data', (chunk) => chunks.push(chunk as Buffer));
    stream.on('end', () => resolve(Buffer.concat(chunks)));
    stream.on('error', reject);
  });
}

export function assertAbsolute(filePath: string): void {
  if (
    !path.posix.isAbsolute(filePath) ||
    filePath.includes('\0') ||
    path.posix.normalize(filePath) !== filePath
  ) {
    throw new SandboxError(`"${filePath}" is not a normalized absolute path`);
  }
}
