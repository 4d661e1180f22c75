import type { Duplex } from 'node:stream';
import { SandboxError } from '../errors';
import type { ContainerRuntime } from '../runtime/runtime';

/**
 * The byte forwarder run in a session's probe container, one per relayed connection: it connects to
 * the port on the namespace's loopback (127.0.0.1, then ::1 for a server on IPv6 only; the first failure is the one reported) and copies stdin to the socket and the
 * socket to stdout. It reports on stderr only, one line: `connected`, or `error <code>`, so the
 * relay can answer "nothing listens" before it sends a byte. Node is the probe's (Debian's Node 18),
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
    socket.pipe(process.stdout);
    socket.on('close', () => process.exit(0));
    process.stdin.on('error', () => process.exit(0));
    // The relay hung up (or half-closed): give the server a moment to answer, never linger past it.
    process.stdin.on('end', () => setTimeout(() => process.exit(0), 30000).unref());
  });
  socket.once('error', (error) => {
    if (socket.bytesRead + socket.bytesWritten > 0) return process.exit(0);
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
    const fail = (code: string) => {
      clearTimeout(timer);
      io.destroy();
      reject(new PortUnreachableError(port, code));
    };
    const timer = setTimeout(() => fail('ETIMEDOUT'), CONNECT_TIMEOUT_MS);
    onStderr((chunk) => {
      if (said.includes('\n')) return;
      said += chunk.toString('utf8').slice(0, 200);
      const line = said.split('\n')[0] ?? '';
      if (!said.includes('\n')) return;
      if (line === 'connected') {
        clearTimeout(timer);
        resolve(io);
      } else fail(/^error (\w+)/.exec(line)?.[1] ?? 'EUNKNOWN');
    });
    io.once('end', () => {
      if (!said.includes('\n')) fail('ECLOSED');
    });
    io.once('error', () => {
      if (!said.includes('\n')) fail('ECLOSED');
    });
  });
}
