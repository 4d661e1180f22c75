// h2proxy started in this process, in front of a small HTTP/1.1 backend and a `ws` echo server, all on
// 127.0.0.1, and spoken to with Node's own http, https, http2 and tls clients: protocol negotiation,
// SNI, the plain-HTTP redirect, routing, the Host/X-Forwarded-* decision (proxy/README.md), 502/504,
// WebSockets, and 50 MiB each way without the process's memory growing by anything near that.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import http2 from 'node:http2';
import https from 'node:https';
import net from 'node:net';
import path from 'node:path';
import tls from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket, { WebSocketServer } from 'ws';
import { createLogger, parseArgs, startProxy, type ProxyOptions, type RunningProxy } from '@/proxy';
import { PROJECT_ROOT } from '../../support/cli';
import { tempDir } from '../../support/temp';

const NAME = 'example.test';
const CLI = path.join(PROJECT_ROOT, 'proxy', 'cli.ts');
const MIB = 1024 * 1024;
const BIG = 50 * MIB;

const pki = tempDir('h2proxy-pki');
let backend: http.Server;
let backendPort: number;
let wsBackend: WebSocketServer;
let wsPort: number;
let deadPort: number;
let tlsProxy: RunningProxy;
let plainProxy: RunningProxy;
const uploads: number[] = [];

function makeCertificate(name: string, file: string): void {
  execFileSync('openssl', [
    'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2',
    '-keyout', path.join(pki.dir, `${file}.key`), '-out', path.join(pki.dir, `${file}.pem`),
    '-subj', `/CN=${name}`, '-addext', `subjectAltName=DNS:${name}`,
  ], { stdio: 'ignore' }); // prettier-ignore
}

/** The backend: echoes what it received as JSON, counts uploads, streams downloads, redirects like Bottle. */
function startBackend(): Promise<http.Server> {
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://backend');
    // Servers like Bottle's add these; the proxy must strip them (HTTP/2 forbids them outright).
    res.setHeader('server', 'backend/1.0');
    res.setHeader('connection', 'keep-alive, x-hop');
    res.setHeader('keep-alive', 'timeout=5');
    res.setHeader('x-hop', 'one hop only');
    if (url.pathname === '/upload') {
      let bytes = 0;
      req.on('data', (chunk: Buffer) => (bytes += chunk.length));
      req.on('end', () => {
        uploads.push(bytes);
        res.end(JSON.stringify({ bytes }));
      });
      return;
    }
    if (url.pathname === '/download') {
      const total = Number(url.searchParams.get('bytes'));
      const chunk = Buffer.alloc(64 * 1024, 'x');
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': total });
      let sent = 0;
      const pump = (): void => {
        while (sent < total) {
          const piece = chunk.subarray(0, Math.min(chunk.length, total - sent));
          sent += piece.length;
          if (!res.write(piece)) return void res.once('drain', pump);
        }
        res.end();
      };
      pump();
      return;
    }
    if (url.pathname === '/redirect') {
      // What bottle.redirect('/x') does: urljoin(request.url, '/x'), request.url from X-Forwarded-* or Host.
      const scheme = req.headers['x-forwarded-proto'] ?? 'http';
      const host = req.headers['x-forwarded-host'] ?? req.headers.host;
      res.writeHead(303, { location: `${scheme}://${host}/x` });
      res.end();
      return;
    }
    if (url.pathname === '/slow') {
      setTimeout(() => res.end('late'), 3_000);
      return;
    }
    req.resume();
    req.on('end', () =>
      res.end(
        JSON.stringify({
          method: req.method,
          url: req.url,
          headers: req.headers,
          httpVersion: req.httpVersion,
        }),
      ),
    );
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function waitForPort(port: number): Promise<void> {
  for (let attempt = 0; attempt < 300; attempt += 1) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, '127.0.0.1', () => resolve(socket.destroy() && true));
      socket.once('error', () => resolve(false));
    });
    if (open) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`nothing listens on 127.0.0.1:${port}`);
}

async function proxy(argv: string[]): Promise<RunningProxy> {
  const parsed = parseArgs(argv);
  if (parsed.kind !== 'run') throw new Error('not a run command line');
  const options: ProxyOptions = { ...parsed.options, port: 0 }; // 0: any free port (the CLI requires 1..65535)
  return startProxy(options, createLogger({ kind: 'none' }, 'none'));
}

beforeAll(async () => {
  makeCertificate(NAME, 'example');
  makeCertificate('*.wild.test', 'wild');
  backend = await startBackend();
  backendPort = (backend.address() as net.AddressInfo).port;
  wsBackend = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise((resolve) => wsBackend.once('listening', resolve));
  wsPort = (wsBackend.address() as net.AddressInfo).port;
  wsBackend.on('connection', (socket, req) => {
    socket.on('message', (data) =>
      socket.send(`echo:${data.toString()} via ${req.headers['x-forwarded-proto']}`),
    );
  });
  deadPort = await freePort();
  const b = `127.0.0.1:${backendPort}`;
  tlsProxy = await proxy([
    '-s', `${NAME}:${pki.dir}/example.pem:${pki.dir}/example.key`,
    '-s', `*.wild.test:${pki.dir}/wild.pem:${pki.dir}/wild.key`,
    '--rev', b,
    '--rev', `/dead/127.0.0.1:${deadPort}`,
    '--ws', `127.0.0.1:${wsPort}`,
    '--timeout', '1',
  ]); // prettier-ignore
  plainProxy = await proxy([
    '--rev', `/api/${b}`,
    '--rev', `//${NAME}/${b}`,
    '--rev', `/socket/127.0.0.1:${wsPort}`,
  ]); // prettier-ignore
}, 60_000);

afterAll(async () => {
  await tlsProxy?.close();
  await plainProxy?.close();
  backend?.close();
  wsBackend?.close();
  pki.remove();
});

const tlsPort = () => tlsProxy.address.port;
const plainPort = () => plainProxy.address.port;

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
  httpVersion: string;
}

/** An HTTP/2 connection to the TLS port by name: SNI example.test, as curl --resolve would. */
function secureSession(port = tlsPort()): http2.ClientHttp2Session {
  return http2.connect(`https://127.0.0.1:${port}`, { servername: NAME, rejectUnauthorized: false });
}

/** One HTTP/2 request over TLS by name (SNI), or over h2c; the body is read whole (small answers). */
async function h2(
  pathname: string,
  options: { plain?: boolean; headers?: http2.OutgoingHttpHeaders; body?: Buffer } = {},
): Promise<Answer & { alpn: string | false | undefined }> {
  const session = options.plain ? http2.connect(`http://127.0.0.1:${plainPort()}`) : secureSession();
  try {
    await new Promise<void>((resolve, reject) => {
      session.once('connect', () => resolve());
      session.once('error', reject);
    });
    const stream = session.request({
      ':path': pathname,
      ':method': options.body ? 'POST' : 'GET',
      ...(options.plain ? {} : { ':authority': `${NAME}:${tlsPort()}` }),
      ...options.headers,
    });
    stream.end(options.body);
    const [headers, body] = await Promise.all([
      new Promise<http2.IncomingHttpHeaders & http2.IncomingHttpStatusHeader>((resolve) =>
        stream.once('response', resolve),
      ),
      new Promise<string>((resolve, reject) => {
        let text = '';
        stream.setEncoding('utf8');
        stream.on('data', (chunk: string) => (text += chunk));
        stream.on('end', () => resolve(text));
        stream.on('error', reject);
      }),
    ]);
    return {
      status: Number(headers[':status']),
      headers,
      body,
      httpVersion: '2.0',
      alpn: session.alpnProtocol,
    };
  } finally {
    session.close();
  }
}

/** One HTTP/1.1 request, over TLS by name when `secure`, else plain to the given port. */
function h1(
  pathname: string,
  options: { port: number; secure?: boolean; headers?: http.OutgoingHttpHeaders; servername?: string },
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const request = (options.secure ? https : http).request(
      {
        host: '127.0.0.1',
        port: options.port,
        path: pathname,
        headers: options.headers,
        agent: false,
        ...(options.secure
          ? { servername: options.servername ?? NAME, rejectUnauthorized: false, ALPNProtocols: ['http/1.1'] }
          : {}),
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body, httpVersion: res.httpVersion }),
        );
      },
    );
    request.on('error', reject);
    request.end();
  });
}

/** The TLS handshake alone: what the server negotiates, or why it failed. */
function handshake(servername: string | undefined, alpn = ['h2', 'http/1.1']): Promise<string> {
  return new Promise((resolve) => {
    const socket = tls.connect({
      host: '127.0.0.1',
      port: tlsPort(),
      rejectUnauthorized: false,
      ALPNProtocols: alpn,
      ...(servername === undefined ? {} : { servername }),
    });
    socket.once('secureConnect', () => {
      resolve(`ok ${socket.getProtocol()} ${socket.alpnProtocol} ${socket.getPeerCertificate().subject?.CN}`);
      socket.end();
    });
    socket.once('error', (error) => resolve(`failed: ${error.message}`));
  });
}

describe('with a certificate (-s)', () => {
  it('negotiates h2 by ALPN over TLS 1.2+, and the answer comes from the backend', async () => {
    const answer = await h2('/hello?x=1');
    expect(answer.alpn).toBe('h2');
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body)).toMatchObject({ method: 'GET', url: '/hello?x=1', httpVersion: '1.1' });
    expect(await handshake(NAME)).toMatch(/^ok TLSv1\.3 h2 example\.test$/);
  });

  it('falls back to HTTP/1.1 for a client that offers only http/1.1', async () => {
    const answer = await h1('/hello', { port: tlsPort(), secure: true });
    expect(answer.httpVersion).toBe('1.1');
    expect(answer.status).toBe(200);
    expect(await handshake(NAME, ['http/1.1'])).toMatch(/^ok TLSv1\.3 http\/1\.1/);
  });

  it('requires SNI: no name or an unknown name fails the handshake; wildcards match one label', async () => {
    expect(await handshake(undefined)).toMatch(/^failed/);
    expect(await handshake('other.test')).toMatch(/^failed/);
    expect(await handshake('a.b.wild.test')).toMatch(/^failed/);
    expect(await handshake('api.wild.test')).toMatch(/^ok .* \*\.wild\.test$/);
  });

  it('refuses TLS 1.1 and older', async () => {
    const result = await new Promise<string>((resolve) => {
      const socket = tls.connect({
        host: '127.0.0.1',
        port: tlsPort(),
        servername: NAME,
        rejectUnauthorized: false,
        minVersion: 'TLSv1',
        maxVersion: 'TLSv1.1',
        ciphers: 'DEFAULT:@SECLEVEL=0',
      });
      socket.once('secureConnect', () => resolve('connected'));
      socket.once('error', () => resolve('refused'));
    });
    expect(result).toBe('refused');
  });

  it('answers plain HTTP on the TLS port with 301 to https://<Host>, or 426 without a Host', async () => {
    const redirect = await h1('/some/path', { port: tlsPort(), headers: { host: `${NAME}:${tlsPort()}` } });
    expect(redirect.status).toBe(301);
    expect(redirect.headers.location).toBe(`https://${NAME}:${tlsPort()}`);
    const raw = await new Promise<string>((resolve) => {
      const socket = net.connect(tlsPort(), '127.0.0.1', () => socket.end('GET / HTTP/1.0\r\n\r\n'));
      let text = '';
      socket.on('data', (chunk) => (text += chunk.toString()));
      socket.on('close', () => resolve(text));
    });
    expect(raw).toMatch(/^HTTP\/1\.1 426 Upgrade Required/);
    expect(raw).toMatch(/upgrade: TLS\/1\.0, HTTP\/1\.1/i);
  });

  it('answers the health check itself, over TLS and plain HTTP', async () => {
    expect((await h2('/.hprox/health')).body).toBe('okay');
    expect((await h1('/.hprox/health', { port: tlsPort() })).body).toBe('okay');
  });

  it("keeps the client's Host and states X-Forwarded-For/-Proto/-Host, dropping forged ones", async () => {
    const answer = await h2('/headers', {
      headers: {
        'x-forwarded-for': '6.6.6.6',
        'x-forwarded-host': 'evil.test',
        forwarded: 'for=6.6.6.6',
        'x-real-ip': '6.6.6.6',
      },
    });
    const seen = JSON.parse(answer.body).headers as Record<string, string>;
    expect(seen.host).toBe(`${NAME}:${tlsPort()}`);
    expect(seen['x-forwarded-for']).toBe('127.0.0.1');
    expect(seen['x-forwarded-proto']).toBe('https');
    expect(seen['x-forwarded-host']).toBe(`${NAME}:${tlsPort()}`);
    expect(seen.forwarded).toBeUndefined();
    expect(seen['x-real-ip']).toBeUndefined();
  });

  it("so a Bottle-style redirect points at the proxy's https address", async () => {
    const answer = await h2('/redirect');
    expect(answer.status).toBe(303);
    expect(answer.headers.location).toBe(`https://${NAME}:${tlsPort()}/x`);
  });

  it("strips hop-by-hop headers from the backend's answer and sets its own Server", async () => {
    for (const answer of [await h2('/headers'), await h1('/headers', { port: tlsPort(), secure: true })]) {
      expect(answer.headers.server).toBe('h2proxy');
      expect(answer.headers['keep-alive']).toBeUndefined();
      expect(answer.headers['x-hop']).toBeUndefined();
      expect(answer.headers['transfer-encoding']).toBeUndefined();
    }
  });

  it('passes an HTTP/1.1 upload that asks Expect: 100-continue, and answers HEAD without a body', async () => {
    const body = Buffer.alloc(2 * MIB, 'z');
    const answer = await new Promise<string>((resolve, reject) => {
      const request = https.request(
        {
          host: '127.0.0.1',
          port: tlsPort(),
          method: 'POST',
          path: '/upload',
          servername: NAME,
          rejectUnauthorized: false,
          agent: false,
          headers: { host: NAME, expect: '100-continue', 'content-length': body.length },
        },
        (res) => {
          let text = '';
          res.on('data', (chunk: Buffer) => (text += chunk.toString()));
          res.on('end', () => resolve(text));
        },
      );
      request.on('continue', () => request.end(body));
      request.on('error', reject);
    });
    expect(JSON.parse(answer)).toEqual({ bytes: body.length });
    const head = await h2('/download?bytes=1000', { headers: { ':method': 'HEAD' } });
    expect(head.status).toBe(200);
    expect(head.headers['content-length']).toBe('1000');
    expect(head.body).toBe('');
  });

  it('answers 502 with a short text when the backend is down, 504 when it is too slow', async () => {
    const down = await h2('/dead/anything');
    expect(down.status).toBe(502);
    expect(down.body).toBe(`Bad Gateway: 127.0.0.1:${deadPort} ECONNREFUSED\n`);
    const slow = await h2('/slow');
    expect(slow.status).toBe(504);
    expect(slow.body).toMatch(/^Gateway Timeout: .* no answer within 1 s/);
  });

  it('passes a WebSocket over wss to the --ws backend and echoes', async () => {
    // ws hands servername to tls.connect (SNI) though its types do not list it.
    const options: WebSocket.ClientOptions & { servername: string } = {
      servername: NAME,
      rejectUnauthorized: false,
      headers: { host: `${NAME}:${tlsPort()}` },
    };
    const socket = new WebSocket(`wss://127.0.0.1:${tlsPort()}/chat`, options);
    const reply = await new Promise<string>((resolve, reject) => {
      socket.once('open', () => socket.send('hi'));
      socket.once('message', (data) => resolve(data.toString()));
      socket.once('error', reject);
    });
    socket.close();
    expect(reply).toBe('echo:hi via https');
  });
});

describe('without a certificate', () => {
  it('speaks HTTP/2 with prior knowledge (h2c) and HTTP/1.1 on one port', async () => {
    const prior = await h2('/api/hello', { plain: true });
    expect(prior.alpn).toBe('h2c');
    expect(JSON.parse(prior.body)).toMatchObject({ url: '/hello' });
    const plain = await h1('/api/hello', { port: plainPort() });
    expect(plain.httpVersion).toBe('1.1');
    expect(JSON.parse(plain.body)).toMatchObject({ url: '/hello' });
  });

  it("answers curl's Upgrade: h2c request as plain HTTP/1.1, as hprox does", async () => {
    const answer = await h1('/api/up', {
      port: plainPort(),
      headers: {
        connection: 'Upgrade, HTTP2-Settings',
        upgrade: 'h2c',
        'http2-settings': 'AAMAAABkAARAAAAAAAIAAAAA',
      },
    });
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body)).toMatchObject({ url: '/up' });
    expect(JSON.parse(answer.body).headers.upgrade).toBeUndefined();
  });

  it('routes by domain before prefix, and serves "It works!" when nothing matches', async () => {
    const byDomain = await h1('/x', { port: plainPort(), headers: { host: NAME } });
    expect(JSON.parse(byDomain.body)).toMatchObject({ url: '/x' });
    const none = await h1('/x', { port: plainPort(), headers: { host: 'other.test' } });
    expect(none.status).toBe(200);
    expect(none.headers['content-type']).toBe('text/html');
    expect(none.body).toContain('<h1>It works!</h1>');
  });

  it('says X-Forwarded-Proto: http', async () => {
    const seen = JSON.parse((await h1('/api/h', { port: plainPort() })).body).headers as Record<
      string,
      string
    >;
    expect(seen['x-forwarded-proto']).toBe('http');
    expect(seen.host).toBe(`127.0.0.1:${plainPort()}`);
  });

  it('passes a WebSocket to the matching --rev backend when there is no --ws', async () => {
    const socket = new WebSocket(`ws://127.0.0.1:${plainPort()}/socket/`);
    const reply = await new Promise<string>((resolve, reject) => {
      socket.once('open', () => socket.send('plain'));
      socket.once('message', (data) => resolve(data.toString()));
      socket.once('error', reject);
    });
    socket.close();
    expect(reply).toBe('echo:plain via http');
  });
});

describe('streaming', () => {
  // This one proxy runs as its own process (the same source, through tsx), so its memory is its own:
  // the client and the backend here allocate and free 100 MiB of chunks, which would blur the figure.
  let child: ChildProcess;
  let childPort: number;

  beforeAll(async () => {
    childPort = await freePort();
    child = spawn(
      process.execPath,
      ['--import', 'tsx', CLI, '-p', String(childPort), '-b', '127.0.0.1', '--loglevel', 'warn',
        '-s', `${NAME}:${pki.dir}/example.pem:${pki.dir}/example.key`, '--rev', `127.0.0.1:${backendPort}`],
      // One process: the memory measured is the proxy's own, not a cluster primary's.
      { cwd: PROJECT_ROOT, stdio: 'ignore', env: { ...process.env, H2PROXY_WORKERS: '1' } },
    ); // prettier-ignore
    await waitForPort(childPort);
  }, 60_000);
  afterAll(() => {
    child?.kill();
  });

  /** Resident memory of the proxy process now, and its peak so far, in MiB (Linux /proc). */
  function memoryMiB(): { rss: number; peak: number } {
    const status = fs.readFileSync(`/proc/${child.pid}/status`, 'utf8');
    const kib = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1]);
    return { rss: kib('VmRSS') / 1024, peak: kib('VmHWM') / 1024 };
  }

  async function download(bytes: number): Promise<number> {
    const session = secureSession(childPort);
    try {
      const stream = session.request({ ':path': `/download?bytes=${bytes}`, ':authority': NAME });
      stream.end();
      let received = 0;
      for await (const chunk of stream) received += (chunk as Buffer).length;
      return received;
    } finally {
      session.close();
    }
  }

  async function upload(bytes: number): Promise<string> {
    const session = secureSession(childPort);
    try {
      const stream = session.request({ ':path': '/upload', ':method': 'POST', ':authority': NAME });
      const chunk = Buffer.alloc(64 * 1024, 'y');
      let body = '';
      stream.setEncoding('utf8');
      stream.on('data', (text: string) => (body += text));
      const ended = new Promise((resolve) => stream.once('end', resolve));
      for (let sent = 0; sent < bytes; sent += chunk.length) {
        if (!stream.write(chunk)) await new Promise((resolve) => stream.once('drain', resolve));
      }
      stream.end();
      await ended;
      return body;
    } finally {
      session.close();
    }
  }

  it('passes 50 MiB down and 50 MiB up over HTTP/2 without holding them', async () => {
    await download(4 * MIB); // code and buffers warmed up first
    await upload(4 * MIB);
    const before = memoryMiB();
    const pass = async (bytes: number) => {
      expect(await download(bytes)).toBe(bytes);
      expect(JSON.parse(await upload(bytes))).toEqual({ bytes });
      return memoryMiB().peak - before.rss;
    };
    const after50 = await pass(BIG);
    const after250 = await pass(4 * BIG);
    console.log(
      `h2proxy RSS ${before.rss.toFixed(1)} MiB at rest; peak +${after50.toFixed(1)} MiB after 50 MiB each way, ` +
        `+${after250.toFixed(1)} MiB after 250 MiB each way`,
    );
    // What it grows by is garbage chunks awaiting V8's collector (about 25-35 MiB, whatever the size):
    // a proxy that held a body would grow by the body. So the peak stays put when 4x more passes.
    expect(after50).toBeLessThan(40);
    expect(after250).toBeLessThan(40);
    expect(after250 - after50).toBeLessThan(15);
  }, 120_000);
});

describe('the bundled CLI', () => {
  it('prints one line and the usage for a wrong option, exit 2', () => {
    let status = 0;
    let stderr = '';
    try {
      execFileSync(process.execPath, ['--import', 'tsx', CLI, '--port', '0'], {
        encoding: 'utf8',
        stdio: 'pipe',
        cwd: PROJECT_ROOT,
      });
    } catch (error) {
      ({ status, stderr } = error as { status: number; stderr: string });
    }
    expect(status).toBe(2);
    expect(stderr.split('\n')[0]).toBe('h2proxy: --port must be in range 1..65535, not "0"');
    expect(stderr).toContain('usage: h2proxy');
  });

  it('stops with one line, exit 1, when a certificate file cannot be read', () => {
    let status = 0;
    let stderr = '';
    try {
      execFileSync(
        process.execPath,
        ['--import', 'tsx', CLI, '-p', '1', '-s', `${NAME}:${pki.dir}/example.pem:/nonexistent.key`],
        { encoding: 'utf8', stdio: 'pipe', cwd: PROJECT_ROOT },
      );
    } catch (error) {
      ({ status, stderr } = error as { status: number; stderr: string });
    }
    expect(status).toBe(1);
    expect(stderr).toBe(`h2proxy: cannot read the key /nonexistent.key for ${NAME}: ENOENT\n`);
  });
});
