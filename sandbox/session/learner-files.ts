import {
  FileNotFoundError,
  FilePermissionError,
  FileTooLargeError,
  NotARegularFileError,
  ReadOnlyPlaceError,
  SandboxError,
} from '../errors';
import type { ExecResult } from '../runtime/runtime';
import { assertAbsolute } from './files';

/**
 * Reading and writing a learner's file with the learner's own permissions: one exec as uid 1000 in
 * the lab container does the check and the access together. A symlink or a folder the learner swaps
 * in between can then reach only what the learner could reach from their own shell (the engine's
 * archive API, which runs as root, could be steered to root-only files of the image), and what is
 * written is charged to the lab's own memory and disk limits, as the learner's own writes are.
 */

/** Runs a command as the learner in the lab; the session manager provides it. */
export type LearnerExec = (options: {
  argv: string[];
  stdin?: Buffer;
  outputMaxBytes: number;
  timeoutMs: number;
}) => Promise<ExecResult>;

// Exit codes of the scripts below, one per refusal; the path is always "$1", never spliced in.
const ABSENT = 3;
const NOT_A_FILE = 4;
const LINK = 5;
const DENIED = 6;
const TOO_LARGE = 7;
const READ_ONLY = 8;

const READ_SCRIPT = String.raw`
p=$1; max=$2
if [ -L "$p" ]; then exit ${LINK}; fi
if [ ! -e "$p" ]; then exit ${ABSENT}; fi
if [ ! -f "$p" ]; then exit ${NOT_A_FILE}; fi
if [ ! -r "$p" ]; then exit ${DENIED}; fi
size=$(stat -c %s -- "$p") || exit ${DENIED}
if [ "$size" -gt "$max" ]; then echo "$size" >&2; exit ${TOO_LARGE}; fi
exec base64 -w0 -- "$p"
`;

// A link in the file's place is replaced by the file, as an editor's save does, never followed.
const WRITE_SCRIPT = String.raw`
p=$1; mode=$2
umask 022
if [ -d "$p" ]; then exit ${NOT_A_FILE}; fi
if [ -L "$p" ]; then rm -f -- "$p" 2>/dev/null || exit ${DENIED}; fi
if err=$( { cat > "$p"; } 2>&1 ); then
  if [ -n "$mode" ]; then chmod "$mode" -- "$p" || exit ${DENIED}; fi
  exit 0
fi
case $err in
  *"Read-only file system"*) exit ${READ_ONLY} ;;
  *"No such file or directory"*) exit ${ABSENT} ;;
  *"Is a directory"*) exit ${NOT_A_FILE} ;;
  *) echo "$err" >&2; exit ${DENIED} ;;
esac
`;

export async function readAsLearner(exec: LearnerExec, filePath: string, maxBytes: number): Promise<Buffer> {
  assertAbsolute(filePath);
  const result = await exec({
    argv: ['sh', '-c', READ_SCRIPT, 'keiko-read', filePath, String(maxBytes)],
    // base64 is 4 bytes for every 3, plus room for a line of shell noise
    outputMaxBytes: Math.ceil(maxBytes / 3) * 4 + 1024,
    timeoutMs: 15_000,
  });
  switch (result.exitCode) {
    case 0:
      return Buffer.from(result.stdout.trim(), 'base64');
    case ABSENT:
      throw new FileNotFoundError(`${filePath} does not exist`);
    case NOT_A_FILE:
      throw new NotARegularFileError(`${filePath} is not a regular file`);
    case LINK:
      throw new NotARegularFileError(`${filePath} is a link; open the file it points to instead`);
    case DENIED:
      throw new FilePermissionError(`the learner may not read ${filePath}`);
    case TOO_LARGE:
      throw new FileTooLargeError(`${filePath} is ${result.stderr.trim()} bytes; the limit is ${maxBytes}`);
    default:
      throw new SandboxError(
        `could not read ${filePath} (exit ${result.exitCode}): ${result.stderr.trim().slice(-300)}`,
      );
  }
}

/** `mode`, when given, is set afterwards (permission bits only); otherwise an existing file keeps its own. */
export async function writeAsLearner(
  exec: LearnerExec,
  filePath: string,
  content: Buffer,
  maxBytes: number,
  mode?: number,
): Promise<void> {
  assertAbsolute(filePath);
  if (content.length > maxBytes)
    throw new FileTooLargeError(`the content is ${content.length} bytes; the limit is ${maxBytes}`);
  const result = await exec({
    argv: [
      'sh',
      '-c',
      WRITE_SCRIPT,
      'keiko-write',
      filePath,
      mode === undefined ? '' : (mode & 0o777).toString(8),
    ],
    stdin: content,
    outputMaxBytes: 4096,
    timeoutMs: 15_000,
  });
  switch (result.exitCode) {
    case 0:
      return;
    case ABSENT:
      throw new FileNotFoundError(`the folder of ${filePath} does not exist`);
    case NOT_A_FILE:
      throw new NotARegularFileError(`${filePath} is a folder`);
    case READ_ONLY:
      throw new ReadOnlyPlaceError(`${filePath} is in a read-only part of the sandbox`);
    case DENIED:
      throw new FilePermissionError(`the learner may not write ${filePath}`);
    default:
      throw new SandboxError(
        `could not write ${filePath} (exit ${result.exitCode}): ${result.stderr.trim().slice(-300)}`,
      );
  }
}
