import type { Duplex } from 'node:stream';
import type Docker from 'dockerode';
import type { ExecOptions, ExecResult } from '../runtime';

/** Seconds of grace past the in-container `timeout` before the client side gives up on the stream. */
const CLIENT_GRACE_MS = 5_000;

/** Keeps the first `max` bytes written to it and counts the rest. */
class CappedBuffer {
  private readonly chunks: Buffer[] = [];
  private kept = 0;
  dropped = false;
  constructor(private readonly max: number) {}
  push(chunk: Buffer): void {
    const room = this.max - this.kept;
    if (room <= 0) {
      this.dropped = true;
      return;
    }
    const part = chunk.length > room ? chunk.subarray(0, room) : chunk;
    if (part.length < chunk.length) this.dropped = true;
    this.chunks.push(part);
    this.kept += part.length;
  }
  text(): string {
    return Buffer.concat(this.chunks).toString('utf8');
  }
}

/**
 * Runs one command to its end with stdout and stderr apart. The command runs under coreutils'
 * `timeout`, so an overrun is killed inside the container, not only abandoned by the client.
 */
export async function runExec(container: Docker.Container, options: ExecOptions): Promise<ExecResult> {
  const started = performance.now();
  const seconds = Math.max(1, Math.ceil(options.timeoutMs / 1000));
  const exec = await container.exec({
    Cmd: ['timeout', '--signal=KILL', `${seconds}s`, ...options.argv],
    User: options.user,
    Env: options.env,
    WorkingDir: options.workdir,
    AttachStdout: true,
    AttachStderr: true,
    AttachStdin: options.stdin !== undefined,
    Tty: false,
  });
  const stream = (await exec.start({ hijack: true, stdin: options.stdin !== undefined })) as Duplex;
  const stdout = new CappedBuffer(options.outputMaxBytes);
  const stderr = new CappedBuffer(options.outputMaxBytes);
  container.modem.demuxStream(
    stream,
    { write: (chunk: Buffer) => stdout.push(chunk) },
    { write: (chunk: Buffer) => stderr.push(chunk) },
  );
  if (options.stdin !== undefined) stream.end(options.stdin);

  let clientTimedOut = false;
  await new Promise<void>((resolve) => {
    const timer = setTimeout(
      () => {
        clientTimedOut = true;
        stream.destroy();
        resolve();
      },
      seconds * 1000 + CLIENT_GRACE_MS,
    );
    const done = () => {
      clearTimeout(timer);
      resolve();
    };
    stream.on('end', done);
    stream.on('close', done);
    stream.on('error', done);
  });
  const info = clientTimedOut ? undefined : await exec.inspect();
  const rawCode = info?.ExitCode ?? null;
  // `timeout --signal=KILL` reports a kill of the command as 137 (128 + SIGKILL).
  const timedOut = clientTimedOut || (rawCode === 137 && performance.now() - started >= seconds * 1000 - 50);
  return {
    exitCode: timedOut ? null : rawCode,
    stdout: stdout.text(),
    stderr: stderr.text(),
    timedOut,
    truncated: stdout.dropped || stderr.dropped,
    durationMs: performance.now() - started,
  };
}
