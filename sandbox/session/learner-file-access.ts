import { createHash } from 'node:crypto';
import { isUtf8 } from 'node:buffer';
import path from 'node:path';
import { z } from 'zod';
import {
  FileNotFoundError,
  FilePermissionError,
  FileTooLargeError,
  InvalidPathError,
  NoSuchFolderError,
  NotARegularFileError,
  NotTextError,
  PreconditionFailedError,
  ReadOnlyPlaceError,
} from '../errors';
import type { SandboxSession, SessionManager } from './session-manager';

/**
 * A learner's files as the editor uses them: read and write one text file as the learner, with
 * conditions on its content (the content's SHA-256, which the files API also uses as its ETag).
 * Contents move by an exec as the learner (SessionManager.readFile/writeFile, see learner-files.ts),
 * and what the learner may do is asked of the sandbox first, by a short script run as the learner,
 * for errors that say what to do; the access itself is the learner's own, so a symlink swapped in
 * between the look and the access reaches nothing the learner could not.
 */

/** What this module needs of the session manager. */
export type LearnerFilesPort = Pick<SessionManager, 'exec' | 'readFile' | 'writeFile' | 'touch'>;

const MAX_PATH_LENGTH = 4096; // PATH_MAX on Linux

/**
 * A file path from a request: absolute, without `..` or NUL, not naming a folder by a trailing slash.
 * `//` and `/./` are tidied away rather than refused: they name the same file.
 */
export const LearnerPathSchema = z
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

/** The path, tidied, or an InvalidPathError that says what is wrong with it. */
export function parseLearnerPath(raw: string | null | undefined): string {
  const parsed = LearnerPathSchema.safeParse(raw ?? undefined);
  if (parsed.success) return parsed.data;
  throw new InvalidPathError(
    `${parsed.error.issues[0]?.message ?? 'invalid path'}${raw ? ` (got "${raw.replace(/\0/g, '\\0')}")` : ''}.`,
  );
}

function sha256Hex(content: Buffer | string): string {
  return createHash('sha256').update(content).digest('hex');
}

/**
 * A condition on a file's content, by the SHA-256 (hex) of the content the caller last saw: any of
 * these hashes, or `*` for any content at all.
 */
export type ContentCondition = '*' | readonly string[];

function satisfies(condition: ContentCondition, sha256: string | undefined): boolean {
  return condition === '*' || (sha256 !== undefined && condition.includes(sha256));
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

async function statPath(
  manager: LearnerFilesPort,
  session: SandboxSession,
  filePath: string,
): Promise<PathFacts> {
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

function notAFile(filePath: string, kind: PathFacts['kind']): NotARegularFileError {
  const what =
    kind === 'directory'
      ? 'is a folder; give the path of a file in it'
      : kind === 'link'
        ? 'is a symbolic link; open the file it points to instead'
        : 'is not a regular file (a device, socket or pipe)';
  return new NotARegularFileError(`${filePath} ${what}.`);
}

export type ReadLearnerFileResult =
  | { status: 'unchanged'; sha256: string }
  | {
      status: 'ok';
      sha256: string;
      content: Buffer;
      /** UTF-8 without NUL bytes: what the editor can edit and save back unchanged. */
      text: boolean;
    };

/**
 * Reads a file the learner can read. With `unlessContent` (the editor's poll) a file whose content
 * still satisfies it answers `unchanged` without moving its content. A read without it counts as
 * activity in the session; a poll does not, so an editor left open in a tab does not keep a sandbox
 * alive.
 */
export async function readLearnerFile(
  manager: LearnerFilesPort,
  session: SandboxSession,
  filePath: string,
  options: { unlessContent?: ContentCondition } = {},
): Promise<ReadLearnerFileResult> {
  const facts = await statPath(manager, session, filePath);
  if (facts.kind === 'absent') {
    throw new FileNotFoundError(`${filePath} does not exist in the sandbox.`);
  }
  if (facts.kind !== 'file') throw notAFile(filePath, facts.kind);
  if (!facts.readable) {
    throw new FilePermissionError(
      `The learner may not read ${filePath} (see ls -l ${filePath} in the terminal).`,
    );
  }
  const max = session.limits.fileMaxBytes;
  if ((facts.size ?? 0) > max) {
    throw new FileTooLargeError(
      `${filePath} is ${facts.size} bytes; the editor opens files of ${max} bytes at most.`,
    );
  }
  const unless = options.unlessContent;
  if (unless && facts.sha256 && satisfies(unless, facts.sha256)) {
    return { status: 'unchanged', sha256: facts.sha256 };
  }
  const content = await manager.readFile(session.id, filePath);
  const sha256 = sha256Hex(content);
  // The file may have changed between the look and the read: the hash is always the one of these bytes.
  if (unless && satisfies(unless, sha256)) return { status: 'unchanged', sha256 };
  if (!unless) manager.touch(session.id);
  return { status: 'ok', sha256, content, text: isText(content) };
}

export function isText(content: Buffer): boolean {
  return isUtf8(content) && !content.includes(0);
}

export interface WriteConditions {
  /** Write only when the file is there with this content (the one the editor opened). */
  ifContent?: ContentCondition;
  /** Write only when the file is not there with this content; `*`: only when no file is there yet. */
  unlessContent?: ContentCondition;
}

/** One write at a time per file of a session: a precondition and its write must not interleave. */
const writing = new Map<string, Promise<unknown>>();

/**
 * Writes a text file as the learner: only where the learner may write, owned by the learner, keeping
 * the mode of the file it replaces (0644 for a new one). A condition the file does not meet is a
 * PreconditionFailedError and nothing is written.
 */
export async function writeLearnerFile(
  manager: LearnerFilesPort,
  session: SandboxSession,
  filePath: string,
  content: Buffer,
  conditions: WriteConditions = {},
): Promise<{ sha256: string; created: boolean }> {
  const max = session.limits.fileMaxBytes;
  if (content.length > max) {
    throw new FileTooLargeError(
      `The content is ${content.length} bytes; a file written through the editor is ${max} bytes at most.`,
    );
  }
  if (!isText(content)) {
    throw new NotTextError(
      'The content is not UTF-8 text (or has NUL bytes); the files API writes text files only.',
    );
  }
  const key = `${session.id}\0${filePath}`;
  const previous = writing.get(key) ?? Promise.resolve();
  const run = previous.catch(() => {}).then(() => writeNow(manager, session, filePath, content, conditions));
  writing.set(key, run);
  try {
    return await run;
  } finally {
    if (writing.get(key) === run) writing.delete(key);
  }
}

async function writeNow(
  manager: LearnerFilesPort,
  session: SandboxSession,
  filePath: string,
  content: Buffer,
  conditions: WriteConditions,
): Promise<{ sha256: string; created: boolean }> {
  const facts = await statPath(manager, session, filePath);
  const exists = facts.kind !== 'absent';
  if (exists && facts.kind !== 'file') throw notAFile(filePath, facts.kind);
  const folder = path.posix.dirname(filePath);
  if (!exists && facts.folder !== 'directory') {
    throw new NoSuchFolderError(
      facts.folder === 'absent'
        ? `The folder ${folder} does not exist; create it first (mkdir -p ${folder}).`
        : `${folder} is not a folder.`,
    );
  }
  if (facts.readOnlyPlace) {
    const places = facts.writablePlaces.length
      ? `; this lab can write under ${facts.writablePlaces.join(', ')}`
      : '';
    throw new ReadOnlyPlaceError(`${filePath} is in a read-only part of the sandbox${places}.`);
  }
  if (exists ? !facts.writable : !facts.folderWritable) {
    throw new FilePermissionError(
      exists
        ? `The learner may not write ${filePath} (see ls -l ${filePath} in the terminal).`
        : `The learner may not create files in ${folder} (see ls -ld ${folder} in the terminal).`,
    );
  }
  checkConditions(filePath, facts, conditions);
  // As the learner: an existing file keeps its mode and owner, a new one is the learner's, 0644.
  await manager.writeFile(session.id, filePath, content);
  manager.touch(session.id);
  return { sha256: sha256Hex(content), created: !exists };
}

function checkConditions(filePath: string, facts: PathFacts, conditions: WriteConditions): void {
  const exists = facts.kind === 'file';
  if (conditions.unlessContent && exists && satisfies(conditions.unlessContent, facts.sha256)) {
    throw new PreconditionFailedError(
      `${filePath} already exists in the sandbox; open it to change it.`,
      'file_exists',
    );
  }
  if (conditions.ifContent) {
    if (!exists) {
      throw new PreconditionFailedError(
        `${filePath} was removed in the sandbox since you opened it; saving again creates it.`,
        'changed_in_sandbox',
      );
    }
    // A file over the size limit has no hash here, and was never served: only `*` can match it.
    if (!satisfies(conditions.ifContent, facts.sha256)) {
      throw new PreconditionFailedError(
        `${filePath} changed in the sandbox since you opened it; reload it, or save again without If-Match to overwrite it.`,
        'changed_in_sandbox',
      );
    }
  }
}
