import { Duplex } from 'node:stream';
import { SandboxError } from '../errors';
import type { ContainerRuntime } from '../runtime/runtime';

/**
 * The byte forwarder run in a session's probe container, one per relayed connection: it connects to
 * the port on the namespace's loopback (127.0.0.1, then ::1 for a server on IPv6 only; the first failure is the one reported) and copies stdin to the socket and the
 * socket to stdout. It reports on stderr only: `connected`, or `error <code>`, so the relay can
 * answer "nothing listens" before it sends a byte; and, when the server's socket closes, `closed <n>`
 * with the bytes it wrote to stdout. It then waits for the relay to hang up (at most 2 s) before it
 * exits: the engine may drop the last output of an exec whose process has exited (seen with Docker
 * 20.10: the last ~46 KiB of a 1 MiB echo), so the relay reads until it has those n bytes and only
 * then lets go (PortStream). Node is the probe's (Debian's Node 18),
 * and the source goes as `node -e` because stdin carries the connection's bytes.
 */
export const FORWARDER_SOURCE = `
const net = require('node:net');
const port = Number(process.argv[1]);
function open(hosts, firstCode) {
  const socket = net.connect({ host: hosts[0], port });
  socket.setNoDelay(true);
  socket.on('connect', () => {
    process.stderr.write('connected\\n');
    process.stdin.pipe(socket);
    process.stdin.on('error', () => process.exit(0));
    let sent = 0;
    socket.on('data', (chunk) => {
      sent += chunk.length;
      if (!process.stdout.write(chunk)) {
        socket.pause();
        process.stdout.once('drain', () => socket.resume());
      }
    });
    socket.on('close', () => {
      process.stderr.write('closed ' + sent + '\\n');
      process.stdin.unpipe(socket);
      process.stdin.on('end', () => process.exit(0));
      process.stdin.resume();
      setTimeout(() => process.exit(0), 2000);
    });
    // The relay hung up (or half-closed): give the server a moment to answer, never linger past it.
    process.stdin.on('end', () => setTimeout(() => process.exit(0), 30000).unref());
  });
  socket.once('error', (error) => {
    if (socket.bytesRead + socket.bytesWritten > 0) return;
    const code = firstCode || error.code || 'EUNKNOWN';
    if (hosts.length > 1) return open(hosts.slice(1), code);
    process.stderr.write('error ' + code + '\\n');
    process.exit(3);
  });
}
open(['127.0.0.1', '::1']);
`;

/** Nothing listens on the port in the sandbox, or the forwarder could not reach it. */
export class PortUnreachableError extends SandboxError {
  override name = 'PortUnreachableError';
  constructor(
    readonly port: number,
    readonly code: string,
  ) {
    super(
      code === 'ECONNREFUSED'
        ? `nothing listens on port ${port} in the sandbox`
        : `port ${port} in the sandbox could not be reached (${code})`,
    );
  }
}

/** Ports a relay may open: any TCP port on the sandbox's own loopback, and nothing else. */
export function isRelayablePort(port: number): boolean {
  return Number.isInteger(port) && port >= 1 && port <= 65_535;
}

const CONNECT_TIMEOUT_MS = 10_000;

/**
 * A byte stream to `127.0.0.1:<port>` in the network namespace of `containerId` (a session's probe,
 * which shares the lab's namespace and so its loopback and nothing more). Resolves once connected.
 */
export async function openPortStream(
  runtime: ContainerRuntime,
  containerId: string,
  port: number,
): Promise<Duplex> {
  if (!isRelayablePort(port))
    throw new RangeError(`port must be a whole number from 1 to 65535, not ${port}`);
  const { io, onStderr } = await runtime.openStream(containerId, {
    argv: ['node', '-e', FORWARDER_SOURCE, String(port)],
  });
  return new Promise<Duplex>((resolve, reject) => {
    let said = '';
    let connected = false;
    const stream = new PortStream(io);
    const fail = (code: string) => {
      clearTimeout(timer);
      io.destroy();
      reject(new PortUnreachableError(port, code));
    };
    const timer = setTimeout(() => fail('ETIMEDOUT'), CONNECT_TIMEOUT_MS);
    onStderr((chunk) => {
      said = (said + chunk.toString('utf8')).slice(-400);
      let newline: number;
      while ((newline = said.indexOf('\n')) >= 0) {
        const line = said.slice(0, newline);
        said = said.slice(newline + 1);
        if (!connected && line === 'connected') {
          connected = true;
          clearTimeout(timer);
          resolve(stream);
        } else if (!connected) fail(/^error (\w+)/.exec(line)?.[1] ?? 'EUNKNOWN');
        else if (/^closed \d+$/.test(line)) stream.serverClosed(Number(line.slice(7)));
      }
    });
    io.once('close', () => {
      if (!connected) fail('ECLOSED');
    });
  });
}

/**
 * The relay's side of a forwarder: bytes as they come, until the forwarder says the server closed
 * after n bytes and all n have been read; then the stream ends and the exec is let go (see
 * FORWARDER_SOURCE for why the end is counted rather than taken from the exec's own end).
 */
class PortStream extends Duplex {
  private received = 0;
  private expected: number | undefined;

  constructor(private readonly io: Duplex) {
    // Like a socket: once the reader has had every byte, the stream closes (and nothing read is lost).
    super({ allowHalfOpen: false });
    io.on('data', (chunk: Buffer) => {
      this.received += chunk.length;
      if (!this.push(chunk)) io.pause();
      this.finishIfComplete();
    });
    io.on('end', () => this.push(null));
    io.on('close', () => this.push(null));
    io.on('error', (error) => this.destroy(error));
  }

  serverClosed(bytes: number): void {
    this.expected = bytes;
    this.finishIfComplete();
  }

  private finishIfComplete(): void {
    if (this.expected === undefined || this.received < this.expected) return;
    this.push(null);
    this.io.destroy();
  }

  override _read(): void {
    this.io.resume();
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    if (this.io.destroyed || this.io.writableEnded) return callback(); // the server is gone: nothing to carry
    this.io.write(chunk, () => callback());
  }

  override _final(callback: (error?: Error | null) => void): void {
    if (!this.io.destroyed) this.io.end();
    callback();
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    this.io.destroy();
    callback(error);
  }
}
