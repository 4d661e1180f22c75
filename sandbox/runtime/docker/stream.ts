import { Duplex } from 'node:stream';
import type Docker from 'dockerode';
import type { ExecStream, StreamOptions } from '../runtime';

/**
 * Splits the engine's multiplexed exec stream (an 8-byte header per frame: stream id, 3 zero bytes,
 * big-endian length) as it arrives, frame parts across chunks included.
 */
export class FrameSplitter {
  private pending: Buffer = Buffer.alloc(0);
  constructor(private readonly emit: (stream: 'stdout' | 'stderr', payload: Buffer) => void) {}

  push(chunk: Buffer): void {
    this.pending = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    while (this.pending.length >= 8) {
      const length = this.pending.readUInt32BE(4);
      if (this.pending.length < 8 + length) return;
      const kind = this.pending[0] === 2 ? 'stderr' : 'stdout';
      const payload = this.pending.subarray(8, 8 + length);
      this.pending = this.pending.subarray(8 + length);
      if (payload.length > 0) this.emit(kind, payload);
    }
  }
}

/**
 * An exec without a terminal whose stdin and stdout are one Node stream. Back-pressure goes both ways:
 * when the reader of `io` stops, the engine's connection is paused, and so is the command.
 */
export async function openDockerStream(
  container: Docker.Container,
  options: StreamOptions,
): Promise<ExecStream> {
  const exec = await container.exec({
    Cmd: options.argv,
    User: options.user,
    Env: options.env,
    AttachStdin: true,
    AttachStdout: true,
    AttachStderr: true,
    Tty: false,
  });
  const raw = (await exec.start({ hijack: true, stdin: true })) as Duplex;
  const stderrListeners: ((chunk: Buffer) => void)[] = [];
  const io: Duplex = new Duplex({
    // The command's output ending means the connection is over: the stream closes then, as a socket does.
    allowHalfOpen: false,
    write(chunk: Buffer, _encoding, callback) {
      raw.write(chunk, callback);
    },
    final(callback) {
      // Half-close: the engine closes the command's stdin; its stdout may still be read.
      raw.end(callback);
    },
    read() {
      raw.resume();
    },
    destroy(error, callback) {
      raw.destroy();
      callback(error);
    },
  });
  const splitter = new FrameSplitter((kind, payload) => {
    if (kind === 'stderr') for (const listener of stderrListeners) listener(payload);
    else if (!io.push(payload)) raw.pause();
  });
  raw.on('data', (chunk: Buffer) => splitter.push(chunk));
  raw.on('end', () => io.push(null));
  raw.on('close', () => {
    if (!io.readableEnded) io.push(null);
  });
  raw.on('error', (error) => io.destroy(error));
  return { io, onStderr: (listener) => stderrListeners.push(listener) };
}
