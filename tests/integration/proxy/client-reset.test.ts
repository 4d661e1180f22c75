// A client that gives up on a request (an HTTP/2 RST_STREAM mid-body, or an HTTP/1.1 client that
// closes its socket) must end the backend's request at once, and must not be reported or answered as a
// backend failure: h2proxy once left the backend request open until its timeout (each holding a
// backend socket for up to 60 s), logged every cancel as a failed backend, answered it with a 502 on a
// closed stream, and on a reused keep-alive socket even sent the request again.
import http from 'node:http';
import http2 from 'node:http2';
import net from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { parseArgs, startProxy, type Logger, type RunningProxy } from '@/proxy';

/** Long enough that a leak shows: the backend would see its request end only after this. */
const PROXY_TIMEOUT_S = 60;
/** What "promptly" means here: far below the proxy's timeout, far above a loaded machine's hiccups. */
const PROMPTLY_MS = 5_000;

interface BackendRequest {
  method: string;
  path: string;
  /** Bytes of the body the backend received before the request ended. */
  bytes: number;
  /** Resolves once the backend's request is closed (the proxy ended or reset it). */
  closed: Promise<void>;
  completeBody: boolean;
}

let backend: http.Server;
let seen: BackendRequest[] = [];
let proxy: RunningProxy;
const logged: string[] = [];

/** Records warn and error lines (a client's cancel must not produce any). */
const logger: Logger = {
  trace: () => {},
  debug: () => {},
  info: () => {},
  warn: (message) => logged.push(`WARN ${message}`),
  error: (message) => logged.push(`ERROR ${message}`),
  enabled: (level) => level === 'warn' || level === 'error',
  close: async () => {},
};

/** A backend that never answers /hold and /upload on its own, and streams /stream slowly forever. */
function startBackend(): Promise<http.Server> {
  const server = http.createServer((req, res) => {
    const record: BackendRequest = {
      method: req.method ?? '',
      path: req.url ?? '',
      bytes: 0,
      completeBody: false,
      closed: new Promise((resolve) => res.once('close', () => resolve())),
    };
    seen.push(record);
    req.on('data', (chunk: Buffer) => (record.bytes += chunk.length));
    req.on('end', () => (record.completeBody = true));
    if (req.url === '/ok') {
      req.resume();
      res.end('ok');
    } else if (req.url === '/stream') {
      res.writeHead(200, { 'content-type': 'application/octet-stream' });
      const timer = setInterval(() => res.write(Buffer.alloc(1024, 'x')), 20);
      res.once('close', () => clearInterval(timer));
    }
    // /hold and /upload: no answer, ever; only the proxy ending the request ends it.
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} not within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

async function until(condition: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + PROMPTLY_MS;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`${what}: not within ${PROMPTLY_MS} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 300));

function h2c(): Promise<http2.ClientHttp2Session> {
  const session = http2.connect(`http://127.0.0.1:${proxy.address.port}`);
  return new Promise((resolve, reject) => {
    session.once('connect', () => resolve(session));
    session.once('error', reject);
  });
}

/**
 * A few HTTP/2 frames by hand over h2c: Node's own client sends END_STREAM before RST_STREAM when a
 * stream is closed, so it cannot reset a request mid-body the way a conformance suite (or a browser
 * that navigates away) does.
 */
class RawH2Client {
  private constructor(private readonly socket: net.Socket) {}

  static connect(port: number): Promise<RawH2Client> {
    return new Promise((resolve, reject) => {
      const socket = net.connect(port, '127.0.0.1', () => {
        socket.write('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n');
        const client = new RawH2Client(socket);
        client.frame(0x4, 0, 0, Buffer.alloc(0)); // SETTINGS, none changed
        resolve(client);
      });
      socket.on('data', () => {}); // the server's frames are not needed here
      socket.once('error', reject);
    });
  }

  private frame(type: number, flags: number, streamId: number, payload: Buffer): void {
    const head = Buffer.alloc(9);
    head.writeUIntBE(payload.length, 0, 3);
    head.writeUInt8(type, 3);
    head.writeUInt8(flags, 4);
    head.writeUInt32BE(streamId, 5);
    this.socket.write(Buffer.concat([head, payload]));
  }

  /** HEADERS for a POST without END_STREAM: a body follows (HPACK: indexed and literal fields). */
  postHeaders(streamId: number, path: string): void {
    const literal = (index: number, value: string) =>
      Buffer.concat([Buffer.from([index, value.length]), Buffer.from(value)]);
    const block = Buffer.concat([
      Buffer.from([0x83, 0x86]), // :method POST, :scheme http
      literal(0x04, path), // :path
      literal(0x01, 'localhost'), // :authority
    ]);
    this.frame(0x1, 0x4, streamId, block); // END_HEADERS
  }

  data(streamId: number, bytes: Buffer): void {
    this.frame(0x0, 0, streamId, bytes);
  }

  reset(streamId: number, code: number): void {
    const payload = Buffer.alloc(4);
    payload.writeUInt32BE(code);
    this.frame(0x3, 0, streamId, payload);
  }

  close(): void {
    this.socket.destroy();
  }
}

beforeAll(async () => {
  backend = await startBackend();
  const parsed = parseArgs([
    '--rev', `127.0.0.1:${(backend.address() as net.AddressInfo).port}`,
    '--timeout', String(PROXY_TIMEOUT_S),
  ]); // prettier-ignore
  if (parsed.kind !== 'run') throw new Error('not a run command line');
  proxy = await startProxy({ ...parsed.options, port: 0 }, logger);
});

afterAll(async () => {
  await proxy?.close();
  backend?.closeAllConnections();
  backend?.close();
});

beforeEach(() => {
  seen = [];
  logged.length = 0;
});

describe('a client that resets its HTTP/2 stream', () => {
  it('mid-upload: the backend request is closed promptly, unfinished, with no backend-failure log', async () => {
    const client = await RawH2Client.connect(proxy.address.port);
    try {
      client.postHeaders(1, '/upload');
      client.data(1, Buffer.alloc(16 * 1024, 'u'));
      await until(() => seen[0]?.bytes === 16 * 1024, 'the backend receives the first part of the body');
      client.reset(1, http2.constants.NGHTTP2_CANCEL);
      await within(seen[0]!.closed, PROMPTLY_MS, 'the backend request closed');
      // A truncated upload must never reach the backend as a whole one.
      expect(seen[0]!.completeBody).toBe(false);
      await settle();
      expect(logged).toEqual([]);
      expect(seen).toHaveLength(1);
    } finally {
      client.close();
    }
  });

  it('while waiting for the answer, on a reused backend socket: closed promptly, never sent again', async () => {
    const session = await h2c();
    try {
      // A first request leaves a kept-alive backend socket that the next one reuses.
      const warm = session.request({ ':path': '/ok' });
      warm.resume();
      await new Promise((resolve) => warm.once('end', resolve));
      const stream = session.request({ ':path': '/hold' });
      stream.on('error', () => {});
      let answered = false;
      stream.on('response', () => (answered = true));
      await until(() => seen.length === 2, 'the backend receives the held request');
      stream.close(http2.constants.NGHTTP2_CANCEL);
      await within(seen[1]!.closed, PROMPTLY_MS, 'the backend request closed');
      await settle();
      expect(seen.map((request) => request.path)).toEqual(['/ok', '/hold']);
      expect(logged).toEqual([]);
      expect(answered).toBe(false);
      // The session is still good for more requests.
      const after = session.request({ ':path': '/ok' });
      let text = '';
      after.setEncoding('utf8');
      after.on('data', (chunk: string) => (text += chunk));
      await new Promise((resolve) => after.once('end', resolve));
      expect(text).toBe('ok');
    } finally {
      session.close();
    }
  });

  it('mid-download: the backend response is closed promptly, with no log', async () => {
    const session = await h2c();
    try {
      const stream = session.request({ ':path': '/stream' });
      stream.on('error', () => {});
      await new Promise((resolve) => stream.once('data', resolve));
      stream.close(http2.constants.NGHTTP2_CANCEL);
      await within(seen[0]!.closed, PROMPTLY_MS, 'the backend response closed');
      await settle();
      expect(logged).toEqual([]);
      expect(seen).toHaveLength(1);
    } finally {
      session.close();
    }
  });
});

describe('an HTTP/1.1 client that closes its connection', () => {
  it('mid-upload: the backend request is closed promptly, with no backend-failure log', async () => {
    const request = http.request({
      host: '127.0.0.1',
      port: proxy.address.port,
      method: 'POST',
      path: '/upload',
      agent: false,
      headers: { 'content-length': 1024 * 1024 },
    });
    request.on('error', () => {});
    request.write(Buffer.alloc(16 * 1024, 'u'));
    await until(() => (seen[0]?.bytes ?? 0) > 0, 'the backend receives the first part of the body');
    request.destroy();
    await within(seen[0]!.closed, PROMPTLY_MS, 'the backend request closed');
    await settle();
    expect(logged).toEqual([]);
    expect(seen).toHaveLength(1);
  });
});
