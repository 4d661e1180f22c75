import { spawn } from 'node:child_process';
import net from 'node:net';
import { Duplex } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryRuntime } from '../runtime/memory/memory-runtime';
import { FORWARDER_SOURCE, isRelayablePort, openPortStream, PortUnreachableError } from './port-stream';

// The forwarder is plain Node run in the probe; here it runs on this machine's Node against a local
// server, standing in for the probe's exec (stdin/stdout the stream, stderr the status line).
function localRuntime(): { runtime: MemoryRuntime } {
  const runtime = new MemoryRuntime();
  runtime.streamHandler = (_id, options) => {
    const child = spawn(process.execPath, options.argv.slice(1), { stdio: ['pipe', 'pipe', 'pipe'] });
    const io = new Duplex({
      allowHalfOpen: false,
      write: (chunk: Buffer, _e, callback) => child.stdin.write(chunk, callback),
      final: (callback) => child.stdin.end(callback),
      read: () => child.stdout.resume(),
      destroy: (error, callback) => {
        child.kill();
        callback(error);
      },
    });
    child.stdout.on('data', (chunk: Buffer) => {
      if (!io.push(chunk)) child.stdout.pause();
    });
    child.stdout.on('end', () => io.push(null));
    return { io, onStderr: (listener) => child.stderr.on('data', listener) };
  };
  return { runtime };
}

let echo: net.Server;
let echoPort: number;

beforeAll(async () => {
  echo = net.createServer({ allowHalfOpen: true }, (socket) => {
    socket.pipe(socket);
  });
  await new Promise<void>((resolve) => echo.listen(0, '127.0.0.1', resolve));
  echoPort = (echo.address() as net.AddressInfo).port;
});
afterAll(() => echo.close());

async function memoryRuntimeWithContainer() {
  const { runtime } = localRuntime();
  runtime.images.set('keiko/probe:latest', { id: 'i', tags: [], labels: {}, createdAt: '', sizeBytes: 0 });
  const id = await runtime.createContainer({
    name: 'probe',
    image: 'keiko/probe:latest',
    cmd: ['sleep'],
    user: '1001:1001',
    env: [],
    labels: {},
    network: { mode: 'none' },
    readOnlyRoot: true,
    volumes: [],
    tmpfs: {},
    memoryBytes: 1,
    nanoCpus: 1,
    pidsLimit: 1,
    sysctls: {},
    capDrop: [],
    securityOpt: [],
    init: false,
  });
  return { runtime, id };
}

describe('the port forwarder', () => {
  it('relays bytes both ways once connected, and ends when the server ends', async () => {
    const { runtime, id } = await memoryRuntimeWithContainer();
    const stream = await openPortStream(runtime, id, echoPort);
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    const ended = new Promise((resolve) => stream.on('end', resolve));
    stream.end(Buffer.from([0, 255, 1, 254, 10, 13]));
    await ended;
    expect([...Buffer.concat(chunks)]).toEqual([0, 255, 1, 254, 10, 13]);
  });

  it('says "nothing listens" for a closed port, before any byte is relayed', async () => {
    const { runtime, id } = await memoryRuntimeWithContainer();
    const closed = net.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as net.AddressInfo).port;
    closed.close();
    const error = await openPortStream(runtime, id, port).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PortUnreachableError);
    expect((error as PortUnreachableError).code).toBe('ECONNREFUSED');
  });

  it('refuses what is not a TCP port before it runs anything', async () => {
    const { runtime, id } = await memoryRuntimeWithContainer();
    for (const port of [0, -1, 65_536, 1.5, Number.NaN]) {
      expect(isRelayablePort(port)).toBe(false);
      await expect(openPortStream(runtime, id, port)).rejects.toThrow(RangeError);
    }
    expect(runtime.calls.filter((call) => call.startsWith('stream'))).toEqual([]);
    expect(FORWARDER_SOURCE).toContain("'127.0.0.1', '::1'");
  });
});
