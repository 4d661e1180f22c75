// h2proxy as a learner runs it: in a real h2proxy-image sandbox, as the learner, in front of a Bottle
// app on cheroot at 127.0.0.1:8080, checked from the probe container with the real clients a grader
// uses (curl, nghttp, h2load, Node 18) over the sandbox's own loopback. The image is brought up to date
// first, so the proxy tested is the proxy in the source tree.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { labImageTag, prepareImages } from '@/sandbox';
import { PROJECT_ROOT } from '../../support/cli';
import { sandboxFixture, type SandboxFixture } from '../../support/sandbox';
import { tempDir } from '../../support/temp';

const NAME = 'example.test';
const RESOLVE = `--resolve ${NAME}:8000:127.0.0.1`;
const TLS_URL = `https://${NAME}:8000`;

/** The Bottle app of the lesson, with a route that shows what the proxy sent it. */
const APP = `
from bottle import route, run, redirect, request

@route('/hello/<name>')
def hello(name):
    return 'Hello %s!' % name

@route('/old')
def old():
    redirect('/x')

@route('/seen')
def seen():
    return {'host': request.get_header('Host'), 'url': request.url, 'remote_addr': request.remote_addr,
            'proto': request.get_header('X-Forwarded-Proto'), 'xff': request.get_header('X-Forwarded-For')}

run(server='cheroot', host='127.0.0.1', port=8080, quiet=True)
`;

/**
 * A WebSocket client in the probe's Node 18 (which has no WebSocket of its own): handshake over TLS
 * with SNI, one masked text frame out, one frame back.
 */
const WS_CLIENT = `
const tls = require('node:tls');
const crypto = require('node:crypto');
const key = crypto.randomBytes(16).toString('base64');
const socket = tls.connect({ host: '127.0.0.1', port: 8000, servername: '${NAME}', rejectUnauthorized: false, ALPNProtocols: ['http/1.1'] }, () => {
  socket.write('GET /echo HTTP/1.1\\r\\nHost: ${NAME}:8000\\r\\nUpgrade: websocket\\r\\nConnection: Upgrade\\r\\n' +
    'Sec-WebSocket-Key: ' + key + '\\r\\nSec-WebSocket-Version: 13\\r\\n\\r\\n');
});
let buffer = Buffer.alloc(0);
let upgraded = false;
socket.on('data', (chunk) => {
  buffer = Buffer.concat([buffer, chunk]);
  if (!upgraded) {
    const end = buffer.indexOf('\\r\\n\\r\\n');
    if (end < 0) return;
    const head = buffer.subarray(0, end).toString();
    const accept = crypto.createHash('sha1').update(key + '258EAFA5-E914-47DA-95CA-C5AB0DC85B11').digest('base64');
    if (!head.startsWith('HTTP/1.1 101') || !head.includes(accept)) { console.log('bad handshake: ' + head); process.exit(1); }
    upgraded = true;
    buffer = buffer.subarray(end + 4);
    const payload = Buffer.from('hello through h2proxy');
    const mask = crypto.randomBytes(4);
    const masked = Buffer.from(payload.map((byte, i) => byte ^ mask[i % 4]));
    socket.write(Buffer.concat([Buffer.from([0x81, 0x80 | payload.length]), mask, masked]));
  }
  if (buffer.length >= 2 && buffer.length >= 2 + (buffer[1] & 0x7f)) {
    console.log(buffer.subarray(2, 2 + (buffer[1] & 0x7f)).toString());
    process.exit(0);
  }
});
socket.on('error', (error) => { console.log('error: ' + error.message); process.exit(1); });
setTimeout(() => { console.log('timeout'); process.exit(1); }, 5000);
`;

let fixture: SandboxFixture;
let sessionId: string;

const lab = (script: string, stdin?: string) =>
  fixture.manager.exec(sessionId, { argv: ['bash', '-c', script], ...(stdin ? { stdin } : {}) });
const probe = (script: string, stdin?: string) =>
  fixture.manager.exec(sessionId, { in: 'probe', argv: ['sh', '-c', script], ...(stdin ? { stdin } : {}) });

beforeAll(async () => {
  fixture = sandboxFixture();
  const work = tempDir('h2proxy-images');
  try {
    await prepareImages(fixture.runtime, path.join(PROJECT_ROOT, 'labs', 'images'), {
      workDir: work.dir,
      only: ['h2proxy'],
      onProgress: () => {},
    });
  } finally {
    work.remove();
  }
  sessionId = (
    await fixture.manager.start({
      labId: 'h2proxy-test',
      image: labImageTag('h2proxy'),
      ownerId: 'learner-test',
    })
  ).id;
  const written = await lab('mkdir -p ~/proxy && cat > ~/proxy/app.py', APP);
  expect(written.exitCode, written.stderr).toBe(0);
  const started = await lab(`
    set -e
    cd ~/proxy
    openssl req -x509 -newkey rsa:2048 -nodes -keyout key.pem -out cert.pem -days 2 \\
      -subj /CN=${NAME} -addext subjectAltName=DNS:${NAME} 2>/dev/null
    setsid nohup python3 app.py > app.log 2>&1 < /dev/null &
    setsid nohup websocketd --address=127.0.0.1 --port=8081 cat > ws.log 2>&1 < /dev/null &
    setsid nohup h2proxy -p 8000 -s ${NAME}:cert.pem:key.pem --rev 127.0.0.1:8080 --ws 127.0.0.1:8081 \\
      > proxy.log 2>&1 < /dev/null &
    setsid nohup h2proxy -p 8001 --rev 127.0.0.1:8080 > plain.log 2>&1 < /dev/null &
    for port in 8080 8081 8000 8001; do
      for i in $(seq 100); do (exec 3<>/dev/tcp/127.0.0.1/$port) 2>/dev/null && break; sleep 0.1; done
    done
  `);
  expect(started.exitCode, started.stderr).toBe(0);
}, 600_000);

afterAll(() => fixture?.dispose());

describe('h2proxy with a certificate on port 8000', () => {
  it('serves HTTP/2 to curl --http2 by name (SNI), with Bottle behind it', async () => {
    const result = await probe(`curl -sS -k --http2 ${RESOLVE} -w '\\n%{http_version}' ${TLS_URL}/hello/h2`);
    expect(result.stdout).toBe('Hello h2!\n2');
  });

  it('serves HTTP/1.1 to curl --http1.1 on the same port', async () => {
    const result = await probe(
      `curl -sS -k --http1.1 ${RESOLVE} -w '\\n%{http_version}' ${TLS_URL}/hello/h1`,
    );
    expect(result.stdout).toBe('Hello h1!\n1.1');
  });

  it('fails the handshake without SNI (curl to the IP address sends none): exit 35', async () => {
    const result = await probe(`curl -sS -k --http2 https://127.0.0.1:8000/hello/x`);
    expect(result.exitCode).toBe(35);
    const log = await lab('cat ~/proxy/proxy.log');
    expect(log.stdout).toMatch(/TLS handshake from 127\.0\.0\.1 failed: .*the client sent no SNI/);
  });

  it("brings Bottle's redirect back as https://example.test:8000/x", async () => {
    const result = await probe(
      `curl -sS -k --http2 ${RESOLVE} -o /dev/null -w '%{http_code} %{redirect_url}' ${TLS_URL}/old`,
    );
    expect(result.stdout).toBe(`303 ${TLS_URL}/x`);
  });

  it("gives Bottle the client's Host, https and the client's address", async () => {
    const result = await probe(
      `curl -sS -k --http2 ${RESOLVE} -H 'X-Forwarded-For: 6.6.6.6' ${TLS_URL}/seen`,
    );
    expect(JSON.parse(result.stdout)).toEqual({
      host: `${NAME}:8000`,
      url: `${TLS_URL}/seen`,
      remote_addr: '127.0.0.1',
      proto: 'https',
      xff: '127.0.0.1',
    });
  });

  it('redirects plain HTTP on the TLS port to https://<Host>', async () => {
    const result = await probe(
      `curl -sS ${RESOLVE} -o /dev/null -w '%{http_code} %{redirect_url}' http://${NAME}:8000/hello/x`,
    );
    expect(result.stdout).toBe(`301 ${TLS_URL}/`);
  });

  it('runs 200 requests from 10 h2load clients over h2 with none failed', async () => {
    const result = await probe(`h2load -n 200 -c 10 --connect-to=127.0.0.1:8000 ${TLS_URL}/hello/load`);
    expect(result.stdout).toMatch(/Application protocol: h2/);
    expect(result.stdout).toMatch(
      /requests: 200 total, 200 started, 200 done, 200 succeeded, 0 failed, 0 errored, 0 timeout/,
    );
    expect(result.stdout).toMatch(/status codes: 200 2xx/);
  });

  it('passes a WebSocket to websocketd (--ws) and echoes', async () => {
    const result = await probe('node -', WS_CLIENT);
    expect(result.stdout.trim()).toBe('hello through h2proxy');
  });

  it('logs one line per request with method, path, status, protocol and time', async () => {
    const log = await lab('cat ~/proxy/proxy.log');
    expect(log.stdout).toMatch(
      /INFO 127\.0\.0\.1 "GET example\.test:8000\/hello\/h2" 200 HTTP\/2 \(tls\) [\d.]+ ms/,
    );
    expect(log.stdout).toMatch(
      /INFO 127\.0\.0\.1 "GET example\.test:8000\/hello\/h1" 200 HTTP\/1\.1 \(tls\) [\d.]+ ms/,
    );
  });
});

describe('h2proxy without a certificate on port 8001', () => {
  it('speaks HTTP/2 to a client with prior knowledge', async () => {
    const result = await probe(
      `curl -sS --http2-prior-knowledge -w '\\n%{http_version}' http://127.0.0.1:8001/hello/h2c`,
    );
    expect(result.stdout).toBe('Hello h2c!\n2');
  });

  it('speaks HTTP/1.1 to curl, and to curl --http2 (no Upgrade: h2c)', async () => {
    const plain = await probe(`curl -sS -w '\\n%{http_version}' http://127.0.0.1:8001/hello/plain`);
    expect(plain.stdout).toBe('Hello plain!\n1.1');
    const upgrade = await probe(`curl -sS --http2 -w '\\n%{http_version}' http://127.0.0.1:8001/hello/plain`);
    expect(upgrade.stdout).toBe('Hello plain!\n1.1');
  });

  it('answers nghttp over HTTP/2 (h2c): nghttp has no --resolve, so it cannot send SNI to port 8000', async () => {
    const result = await probe('nghttp -nv http://127.0.0.1:8001/hello/nghttp');
    expect(result.stdout).toMatch(/recv \(stream_id=\d+\) :status: 200/);
    expect(result.stderr).not.toMatch(/Some requests were not processed/);
    const tls = await probe('nghttp -nv https://127.0.0.1:8000/hello/nghttp');
    expect(`${tls.stdout}${tls.stderr}`).not.toMatch(/The negotiated protocol: h2/);
  });

  it('tells Bottle the client came over http', async () => {
    const result = await probe(`curl -sS http://127.0.0.1:8001/seen`);
    expect(JSON.parse(result.stdout)).toMatchObject({ url: 'http://127.0.0.1:8001/seen', proto: 'http' });
  });
});
