import { randomBytes } from 'node:crypto';
import type { ExecResult } from '@/sandbox';
import type { ExecInGrader } from './sandbox-port';

/** Runs one command in a session's lab: the engine's `docker exec`. */
export type LabExec = (sessionId: string, options: ExecInGrader) => Promise<ExecResult>;

/** Used when a command states no limit: the session's own default (sandbox/limits.ts). */
const DEFAULT_TIMEOUT_MS = 30_000;
const DEFAULT_OUTPUT_MAX_BYTES = 1024 * 1024;
/** A batch whose commands may print more than this together runs them one exec each instead. */
const BATCH_OUTPUT_MAX_BYTES = 16 * 1024 * 1024;
/** Time the batch's own shell may take beyond its commands' limits before the engine stops it. */
const BATCH_GRACE_MS = 5_000;

/**
 * The runner: reads the commands from stdin (fields separated by NUL, which no argument can hold),
 * runs them one after another as the exec's user (the learner), each with its own stdin and time
 * limit, and ends each one's output with a mark that holds a nonce: on stdout with its exit code and
 * duration in microseconds, on stderr alone. Nothing but bash builtins and `timeout` runs, so the
 * batch costs the lab a few milliseconds beyond the commands themselves (the lab has one core).
 */
const RUNNER = `
field() { IFS= read -r -d '' "$1"; }
field nonce; field count
for ((n = 0; n < count; n++)); do
  field seconds; field argc
  args=()
  for ((i = 0; i < argc; i++)); do field word; args+=("$word"); done
  field input
  started=\${EPOCHREALTIME/./}
  if [ -z "$input" ]; then
    timeout -k 1 "$seconds" "\${args[@]}" < /dev/null
  else
    timeout -k 1 "$seconds" "\${args[@]}" < <(printf '%s' "$input")
  fi
  code=$?
  printf '\\0K%s %s %s %s\\0' "$nonce" "$n" "$code" "$(( \${EPOCHREALTIME/./} - started ))"
  printf '\\0K%s %s\\0' "$nonce" "$n" >&2
done
`;

interface Pending {
  options: ExecInGrader;
  resolve: (result: ExecResult) => void;
  reject: (error: unknown) => void;
}

function timeoutMsOf(options: ExecInGrader): number {
  return options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
}

function maxBytesOf(options: ExecInGrader): number {
  return options.outputMaxBytes ?? DEFAULT_OUTPUT_MAX_BYTES;
}

/** A command the runner can take: its stdin is text without NUL (argv never holds one). */
function batchable(options: ExecInGrader): boolean {
  return typeof (options.stdin ?? '') === 'string' && !String(options.stdin ?? '').includes('\0');
}

/** What the runner reads: the nonce, the number of commands, then each one's limit, words and stdin. */
export function batchInput(nonce: string, commands: readonly ExecInGrader[]): string {
  const fields = [nonce, String(commands.length)];
  for (const command of commands)
    fields.push(
      (timeoutMsOf(command) / 1000).toFixed(3),
      String(command.argv.length),
      ...command.argv,
      String(command.stdin ?? ''),
    );
  return `${fields.join('\0')}\0`;
}

/** Keeps the first `max` bytes of a command's output, as a lone exec would. */
function capped(text: string, max: number): { text: string; cut: boolean } {
  const bytes = Buffer.from(text);
  return bytes.length <= max ? { text, cut: false } : { text: bytes.subarray(0, max).toString(), cut: true };
}

/**
 * The runner's output back as each command's result; undefined when its marks are not all there, in
 * order (the runner died, or the output was cut).
 */
export function batchResults(
  nonce: string,
  commands: readonly ExecInGrader[],
  stdout: string,
  stderr: string,
): ExecResult[] | undefined {
  const outMarks = [...stdout.matchAll(new RegExp(`\\0K${nonce} (\\d+) (\\d+) (\\d+)\\0`, 'g'))];
  const errMarks = [...stderr.matchAll(new RegExp(`\\0K${nonce} (\\d+)\\0`, 'g'))];
  if (outMarks.length !== commands.length || errMarks.length !== commands.length) return undefined;
  const results: ExecResult[] = [];
  let outFrom = 0;
  let errFrom = 0;
  for (const [index, command] of commands.entries()) {
    const outMark = outMarks[index]!;
    const errMark = errMarks[index]!;
    if (Number(outMark[1]) !== index || Number(errMark[1]) !== index) return undefined;
    const out = capped(stdout.slice(outFrom, outMark.index), maxBytesOf(command));
    const err = capped(stderr.slice(errFrom, errMark.index), maxBytesOf(command));
    outFrom = outMark.index + outMark[0].length;
    errFrom = errMark.index + errMark[0].length;
    const code = Number(outMark[2]);
    const durationMs = Number(outMark[3]) / 1000;
    // `timeout` answers 124 (TERM) or 137 (KILL) when the time ran out; a command may exit 124 itself.
    const timedOut = (code === 124 || code === 137) && durationMs >= timeoutMsOf(command) - 50;
    results.push({
      exitCode: timedOut ? null : code,
      stdout: out.text,
      stderr: err.text,
      timedOut,
      truncated: out.cut || err.cut,
      durationMs,
    });
  }
  return results;
}

/**
 * Commands a step's checks run in the lab at the same moment (checks that only read run at once) go
 * to the engine as one `docker exec` of a small runner instead of one exec each: on this 2-core
 * machine an exec costs the engine about 150 ms of CPU whether execs run side by side or not, and
 * the runner costs a few milliseconds. It runs as the learner, as each exec did, so a command sees
 * and may do nothing more. A batch the runner cannot report (output past the limits, a mark
 * missing) runs its commands one exec each, so nothing is lost.
 */
export class LabExecBatch {
  private readonly waiting = new Map<string, Pending[]>();

  constructor(private readonly exec: LabExec) {}

  run(sessionId: string, options: ExecInGrader): Promise<ExecResult> {
    const key = `${sessionId}\n${options.asRoot ? 'root' : ''}\n${JSON.stringify(options.env ?? [])}`;
    return new Promise((resolve, reject) => {
      const queue = this.waiting.get(key);
      if (queue) {
        queue.push({ options, resolve, reject });
        return;
      }
      this.waiting.set(key, [{ options, resolve, reject }]);
      // Every check of a group asks within the same turn of the event loop.
      setImmediate(() => {
        const batch = this.waiting.get(key) ?? [];
        this.waiting.delete(key);
        void this.flush(sessionId, batch);
      });
    });
  }

  private async flush(sessionId: string, batch: Pending[]): Promise<void> {
    // The outer exec keeps this much of each stream: every command's own limit, and the marks.
    const output = batch.reduce((sum, pending) => sum + maxBytesOf(pending.options) + 128, 0);
    if (batch.length === 1 || output > BATCH_OUTPUT_MAX_BYTES || !batch.every((p) => batchable(p.options))) {
      await Promise.all(batch.map((pending) => this.alone(sessionId, pending)));
      return;
    }
    const commands = batch.map((pending) => pending.options);
    const first = commands[0]!;
    const nonce = randomBytes(12).toString('hex');
    let results: ExecResult[] | undefined;
    try {
      const ran = await this.exec(sessionId, {
        argv: ['bash', '-c', RUNNER, 'keiko-checks'],
        stdin: batchInput(nonce, commands),
        asRoot: first.asRoot,
        env: first.env,
        timeoutMs: commands.reduce((sum, command) => sum + timeoutMsOf(command), BATCH_GRACE_MS),
        outputMaxBytes: output,
      });
      if (ran.exitCode === 0 && !ran.truncated) results = batchResults(nonce, commands, ran.stdout, ran.stderr);
    } catch (error) {
      for (const pending of batch) pending.reject(error);
      return;
    }
    if (!results) {
      await Promise.all(batch.map((pending) => this.alone(sessionId, pending)));
      return;
    }
    for (const [index, pending] of batch.entries()) pending.resolve(results[index]!);
  }

  private async alone(sessionId: string, pending: Pending): Promise<void> {
    try {
      pending.resolve(await this.exec(sessionId, pending.options));
    } catch (error) {
      pending.reject(error);
    }
  }
}
