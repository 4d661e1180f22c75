import { createHash } from 'node:crypto';
import { isUtf8 } from 'node:buffer';
import path from 'node:path';
import { z } from 'zod';
import type { SandboxSession, SessionManager } from '@/sandbox';

/**
 * The files API of API.md: reading and writing one text file of a learner's sandbox for the editor,
 * as the learner. Contents move by an exec as the learner (SessionManager.readFile/writeFile), and
 * what the learner may do is asked of the sandbox first, by a short script run as the learner, for
 * messages that say what to do; the access itself is the learner's own, so a symlink swapped in
 * between the look and the access reaches nothing the learner could not.
 */

/** What this module needs of the session manager. */
export type LabFilesManager = Pick<SessionManager, 'exec' | 'readFile' | 'writeFile' | 'touch'>;

/**
 * A refusal of the files API with its HTTP status and code. Told apart by `name`, like every Keiko
 * error, because the route bundle and the server hold different copies of the classes.
 */
export class LabFileError extends Error {
  override name = 'LabFileError';
  constructor(
    readonly status: 400 | 403 | 404 | 409 | 412 | 413,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const MAX_PATH_LENGTH = 4096; // PATH_MAX on Linux

/**
 * A file path from a request: absolute, without `..` or NUL, not naming a folder by a trailing slash.
 * `//` and `/./` are tidied away rather than refused: they name the same file.
 */
export const LabFilePathSchema = z
  .string({ error: 'give the file as ?path=/absolute/path' })
  .min(1, 'give the file as ?path=/absolute/path')
  .max(MAX_PATH_LENGTH, `the path is longer than ${MAX_PATH_LENGTH} characters`)
  .refine((value) => !value.includes('\0'), 'the path contains a NUL byte')
  .refine((value) => value.startsWith('/'), 'the path must be absolute, like /home/learner/app/app.py')
  .refine(
    (value) => !value.split('/').includes('..'),
    'the path must not contain ".." segments: give the absolute path of the file',
  )
  .transform((value) => path.posix.normalize(value))
  .refine((value) => value !== '/' && !value.endsWith('/'), 'the path names a folder; give a file in it');

/** The path of a request, or a 400 that says what is wrong with it. */
export function parseLabFilePath(raw: string | null | undefined): string {
  const parsed = LabFilePathSchema.safeParse(raw ?? undefined);
  if (parsed.success) return parsed.data;
  throw new LabFileError(
    400,
    'invalid_path',
    `${parsed.error.issues[0]?.message ?? 'invalid path'}${raw ? ` (got "${raw.replace(/\0/g, '\\0')}")` : ''}.`,
  );
}

/** A strong entity tag of the bytes: the same content always has the same tag, wherever it was read. */
export function etagOf(content: Buffer | string): string {
  return `"${sha256Hex(content)}"`;
}

function sha256Hex(content: Buffer | string): string {
  return createHash('sha256').update(content).digest('hex');
}

/** The tags of an If-Match / If-None-Match header: `*`, or the listed tags, or none when absent. */
export function parseEntityTags(header: string | null | undefined): '*' | { tag: string; weak: boolean }[] {
  if (!header || !header.trim()) return [];
  if (header.trim() === '*') return '*';
  return [...header.matchAll(/(W\/)?("[^"]*")/g)].map((match) => ({ tag: match[2]!, weak: !!match[1] }));
}

/**
 * RFC 9110 §13.1: If-Match compares strongly (a weak tag never matches), If-None-Match weakly.
 * An absent header is "no condition"; callers test for that before.
 */
function tagMatches(header: string, etag: string, comparison: 'strong' | 'weak'): boolean {
  const tags = parseEntityTags(header);
  if (tags === '*') return true;
  return tags.some(({ tag, weak }) => tag === etag && (comparison === 'weak' || !weak));
}

/**
 * Asked in the sandbox as the learner, with the path as `$1` (never spliced into the script): what
 * the path is, whether the learner may read or write it or create it, the content's hash for the
 * editor's polls, and whether the place is on the read-only root, with the places that are not.
 * Everything it calls is on the read-only root, which the learner cannot change.
 */
const STAT_SCRIPT = String.raw`
p=$1; max=$2
d=$(dirname -- "$p")
if [ -L "$p" ]; then kind=link
elif [ -d "$p" ]; then kind=directory
elif [ -f "$p" ]; then kind=file
elif [ -e "$p" ]; then kind=other
else kind=absent
fi
echo "kind=$kind"
if [ "$kind" = file ]; then
  stat -c 'mode=%a
size=%s' -- "$p"
  if [ -r "$p" ] && [ "$(stat -c %s -- "$p")" -le "$max" ]; then
    echo "sha256=$(sha256sum < "$p" | cut -d' ' -f1)"
  fi
fi
if [ -r "$p" ]; then echo readable=1; else echo readable=0; fi
if [ -w "$p" ]; then echo writable=1; else echo writable=0; fi
if [ -d "$d" ]; then echo folder=directory; elif [ -e "$d" ] || [ -L "$d" ]; then echo folder=other; else echo folder=absent; fi
if [ -d "$d" ] && [ -w "$d" ] && [ -x "$d" ]; then echo folderWritable=1; else echo folderWritable=0; fi
awk -v t="$(realpath -m -- "$d")" '
  { mp = $5; rw = ($6 ~ /(^|,)rw(,|$)/)
    if (mp == "/" || t == mp || index(t, mp "/") == 1) { if (length(mp) >= best) { best = length(mp); ro = !rw } }
    if (rw && mp != "/" && mp !~ /^\/(proc|sys|dev)(\/|$)/ && mp !~ /^\/etc\/(hosts|hostname|resolv\.conf)$/) places = places " " mp }
  END { print "readOnlyPlace=" (ro ? 1 : 0); print "writablePlaces=" substr(places, 2) }' /proc/self/mountinfo
`;

const flag = z.enum(['0', '1']).transform((value) => value === '1');

/** What the learner's own view of the sandbox says about a path. */
export const PathFactsSchema = z.object({
  kind: z.enum(['file', 'directory', 'link', 'other', 'absent']),
  mode: z
    .string()
    .regex(/^[0-7]{1,4}$/)
    .transform((value) => parseInt(value, 8))
    .optional(),
  size: z.coerce.number().int().min(0).optional(),
  sha256: z
    .string()
    .regex(/^[0-9a-f]{64}$/)
    .optional(),
  readable: flag,
  writable: flag,
  folder: z.enum(['directory', 'other', 'absent']),
  folderWritable: flag,
  readOnlyPlace: flag,
  writablePlaces: z.string().transform((value) => value.split(' ').filter(Boolean)),
});
export type PathFacts = z.infer<typeof PathFactsSchema>;

export function parseStatOutput(stdout: string): PathFacts {
  const fields = Object.fromEntries(
    stdout
      .split('\n')
      .map((line) => /^(\w+)=(.*)$/.exec(line))
      .filter((match) => match !== null)
      .map((match) => [match[1], match[2]]),
  );
  const parsed = PathFactsSchema.safeParse(fields);
  // Not a ZodError: the request was fine, the sandbox's answer was not (a 500, not a 422).
  if (!parsed.success)
    throw new Error(`unexpected answer about a path from the sandbox: ${parsed.error.message}`);
  return parsed.data;
}

async function statPath(manager: LabFilesManager, session: SandboxSession, filePath: string): Promise<PathFacts> {
  const result = await manager.exec(session.id, {
    argv: ['sh', '-c', STAT_SCRIPT, 'keiko-files', filePath, String(session.limits.fileMaxBytes)],
    timeoutMs: 15_000,
  });
  if (result.exitCode !== 0) {
    throw new Error(
      `could not look at ${filePath} in session ${session.id} (exit ${result.exitCode}): ${result.stderr.trim().slice(-300)}`,
    );
  }
  return parseStatOutput(result.stdout);
}

function notAFile(filePath: string, kind: PathFacts['kind']): LabFileError {
  const what =
    kind === 'directory'
      ? 'is a folder; give the path of a file in it'
      : kind === 'link'
        ? 'is a symbolic link; open the file it points to instead'
        : 'is not a regular file (a device, socket or pipe)';
  return new LabFileError(400, 'not_a_file', `${filePath} ${what}.`);
}

/** Sandbox errors by name (see LabFileError), as the files API answers them. */
function explainSandboxError(error: unknown, filePath: string): unknown {
  const name = error instanceof Error ? error.name : '';
  const message = error instanceof Error ? error.message : String(error);
  if (name === 'FileNotFoundError') return new LabFileError(404, 'file_not_found', `${message}.`);
  if (name === 'FileTooLargeError') return new LabFileError(413, 'file_too_large', `${message}.`);
  if (name === 'NotARegularFileError') return new LabFileError(400, 'not_a_file', `${message}.`);
  if (name === 'FilePermissionError')
    return new LabFileError(403, 'permission_denied', `${message} (see ls -l ${filePath} in the terminal).`);
  if (name === 'ReadOnlyPlaceError')
    return new LabFileError(403, 'read_only_place', `${filePath} is in a read-only part of the sandbox.`);
  return error;
}

export type ReadLabFileResult =
  | { status: 'unchanged'; etag: string }
  | {
      status: 'ok';
      etag: string;
      content: Buffer;
      /** UTF-8 without NUL bytes: what the editor can edit and save back unchanged. */
      text: boolean;
    };

/**
 * Reads a file the learner can read. With `ifNoneMatch` (the editor's poll) an unchanged file answers
 * `unchanged` without moving its content. A read without it counts as activity in the session; a poll
 * does not, so an editor left open in a tab does not keep a sandbox alive.
 */
export async function readLabFile(
  manager: LabFilesManager,
  session: SandboxSession,
  filePath: string,
  options: { ifNoneMatch?: string | null } = {},
): Promise<ReadLabFileResult> {
  const facts = await statPath(manager, session, filePath);
  if (facts.kind === 'absent') {
    throw new LabFileError(404, 'file_not_found', `${filePath} does not exist in the sandbox.`);
  }
  if (facts.kind !== 'file') throw notAFile(filePath, facts.kind);
  if (!facts.readable) {
    throw new LabFileError(
      403,
      'permission_denied',
      `The learner may not read ${filePath} (see ls -l ${filePath} in the terminal).`,
    );
  }
  const max = session.limits.fileMaxBytes;
  if ((facts.size ?? 0) > max) {
    throw new LabFileError(
      413,
      'file_too_large',
      `${filePath} is ${facts.size} bytes; the editor opens files of ${max} bytes at most.`,
    );
  }
  const polled = !!options.ifNoneMatch?.trim();
  if (polled && facts.sha256 && tagMatches(options.ifNoneMatch!, `"${facts.sha256}"`, 'weak')) {
    return { status: 'unchanged', etag: `"${facts.sha256}"` };
  }
  let content: Buffer;
  try {
    content = await manager.readFile(session.id, filePath);
  } catch (error) {
    throw explainSandboxError(error, filePath);
  }
  const etag = etagOf(content);
  // The file may have changed between the look and the read: the tag is always the one of these bytes.
  if (polled && tagMatches(options.ifNoneMatch!, etag, 'weak')) return { status: 'unchanged', etag };
  if (!polled) manager.touch(session.id);
  return { status: 'ok', etag, content, text: isText(content) };
}

export function isText(content: Buffer): boolean {
  return isUtf8(content) && !content.includes(0);
}

export interface WriteLabFileOptions {
  /** Write only when the file is still the one with this tag (the one the editor opened). */
  ifMatch?: string | null;
  /** `*`: write only when no file is there yet (the editor creating a new file). */
  ifNoneMatch?: string | null;
}

/** One write at a time per file of a session: a precondition and its write must not interleave. */
const writing = new Map<string, Promise<unknown>>();

/**
 * Writes a text file as the learner: only where the learner may write, owned by the learner, keeping
 * the mode of the file it replaces (0644 for a new one). Preconditions follow RFC 9110: a stale
 * If-Match, or If-None-Match `*` on an existing file, is a 412 and nothing is written.
 */
export async function writeLabFile(
  manager: LabFilesManager,
  session: SandboxSession,
  filePath: string,
  content: Buffer,
  options: WriteLabFileOptions = {},
): Promise<{ etag: string; created: boolean }> {
  const max = session.limits.fileMaxBytes;
  if (content.length > max) {
    throw new LabFileError(
      413,
      'file_too_large',
      `The content is ${content.length} bytes; a file written through the editor is ${max} bytes at most.`,
    );
  }
  if (!isText(content)) {
    throw new LabFileError(
      400,
      'not_text',
      'The content is not UTF-8 text (or has NUL bytes); the files API writes text files only.',
    );
  }
  const key = `${session.id}\0${filePath}`;
  const previous = writing.get(key) ?? Promise.resolve();
  const run = previous.catch(() => {}).then(() => writeNow(manager, session, filePath, content, options));
  writing.set(key, run);
  try {
    return await run;
  } finally {
    if (writing.get(key) === run) writing.delete(key);
  }
}

async function writeNow(
  manager: LabFilesManager,
  session: SandboxSession,
  filePath: string,
  content: Buffer,
  options: WriteLabFileOptions,
): Promise<{ etag: string; created: boolean }> {
  const facts = await statPath(manager, session, filePath);
  const exists = facts.kind !== 'absent';
  if (exists && facts.kind !== 'file') throw notAFile(filePath, facts.kind);
  const folder = path.posix.dirname(filePath);
  if (!exists && facts.folder !== 'directory') {
    throw new LabFileError(
      409,
      'no_such_folder',
      facts.folder === 'absent'
        ? `The folder ${folder} does not exist; create it first (mkdir -p ${folder}).`
        : `${folder} is not a folder.`,
    );
  }
  if (facts.readOnlyPlace) {
    const places = facts.writablePlaces.length
      ? `; this lab can write under ${facts.writablePlaces.join(', ')}`
      : '';
    throw new LabFileError(
      403,
      'read_only_place',
      `${filePath} is in a read-only part of the sandbox${places}.`,
    );
  }
  if (exists ? !facts.writable : !facts.folderWritable) {
    throw new LabFileError(
      403,
      'permission_denied',
      exists
        ? `The learner may not write ${filePath} (see ls -l ${filePath} in the terminal).`
        : `The learner may not create files in ${folder} (see ls -ld ${folder} in the terminal).`,
    );
  }
  checkPreconditions(filePath, facts, options);
  try {
    // As the learner: an existing file keeps its mode and owner, a new one is the learner's, 0644.
    await manager.writeFile(session.id, filePath, content);
  } catch (error) {
    throw explainSandboxError(error, filePath);
  }
  manager.touch(session.id);
  return { etag: etagOf(content), created: !exists };
}

function checkPreconditions(filePath: string, facts: PathFacts, options: WriteLabFileOptions): void {
  const exists = facts.kind === 'file';
  if (options.ifNoneMatch?.trim() && exists) {
    const current = facts.sha256 ? `"${facts.sha256}"` : undefined;
    if (
      parseEntityTags(options.ifNoneMatch) === '*' ||
      (current && tagMatches(options.ifNoneMatch, current, 'weak'))
    ) {
      throw new LabFileError(
        412,
        'file_exists',
        `${filePath} already exists in the sandbox; open it to change it.`,
      );
    }
  }
  if (options.ifMatch?.trim()) {
    if (!exists) {
      throw new LabFileError(
        412,
        'changed_in_sandbox',
        `${filePath} was removed in the sandbox since you opened it; saving again creates it.`,
      );
    }
    // A file over the size limit has no hash here, and was never served: only `*` can match it.
    const current = facts.sha256 ? `"${facts.sha256}"` : undefined;
    const matches =
      parseEntityTags(options.ifMatch) === '*' ||
      (!!current && tagMatches(options.ifMatch, current, 'strong'));
    if (!matches) {
      throw new LabFileError(
        412,
        'changed_in_sandbox',
        `${filePath} changed in the sandbox since you opened it; reload it, or save again without If-Match to overwrite it.`,
      );
    }
  }
}

/**
 * A request body of at most `maxBytes`: refused from its Content-Length when that says too much, and
 * cut off while streaming otherwise, so an oversized upload is never held in memory whole.
 */
export async function readCappedBody(
  body: ReadableStream<Uint8Array> | null,
  declaredLength: string | null,
  maxBytes: number,
): Promise<Buffer> {
  const tooLarge = (size: number | string) =>
    new LabFileError(
      413,
      'file_too_large',
      `The content is ${size} bytes; a file written through the editor is ${maxBytes} bytes at most.`,
    );
  const declared = declaredLength === null ? NaN : Number(declaredLength);
  if (Number.isFinite(declared) && declared > maxBytes) {
    await body?.cancel().catch(() => {});
    throw tooLarge(declared);
  }
  if (!body) return Buffer.alloc(0);
  const reader = body.getReader();
  const chunks: Buffer[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel().catch(() => {});
      throw tooLarge(`more than ${maxBytes}`);
    }
    chunks.push(Buffer.from(value));
  }
  return Buffer.concat(chunks);
}
