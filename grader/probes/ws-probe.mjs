// Keiko's WebSocket probe: open one WebSocket (RFC 6455) through a URL, send one text message, read
// the first message back, and print one JSON line of facts on stdout; exit 0 whatever the server did.
// It runs in the probe container on Debian 12's Node 18, which has no WebSocket client, so it speaks
// the protocol over a raw socket with Node built-ins only. Bad arguments exit 2 with no JSON.
//
// Usage: ws-probe.mjs --url ws://127.0.0.1:8000/ws [--connect-to 127.0.0.1] [--insecure]
//          [--message text] [--timeout-ms 5000]
import { Buffer } from 'node:buffer';
import { createHash, randomBytes } from 'node:crypto';
import { isIP } from 'node:net';
import net from 'node:net';
import { clearTimeout, setTimeout } from 'node:timers';
import tls from 'node:tls';

const GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';
const FLAGS = new Set(['url', 'connect-to', 'insecure', 'message', 'timeout-ms']);
const MAX_MESSAGE = 1 << 20;

class UsageError extends Error {}

function parseArgs(argv) {
  const values = {};
  for (let i = 0; i < argv.length; i += 1) {
    const match = /^--([a-z-]+)(?:=(.*))?$/s.exec(argv[i]);
    if (!match || !FLAGS.has(match[1])) throw new UsageError(`unknown argument ${JSON.stringify(argv[i])}`);
    if (match[1] === 'insecure') {
      values.insecure = true;
      continue;
    }
    const value = match[2] ?? argv[(i += 1)];
    if (value === undefined) throw new UsageError(`--${match[1]} needs a value`);
    values[match[1]] = value;
  }
  if (!values.url) throw new UsageError('--url is required');
  let url;
  try {
    url = new URL(values.url);
  } catch {
    throw new UsageError(`--url ${JSON.stringify(values.url)} is not a URL`);
  }
  if (url.protocol !== 'ws:' && url.protocol !== 'wss:')
    throw new UsageError('--url must be ws:// or wss://');
  const timeoutMs = Number(values['timeout-ms'] ?? 5000);
  if (!Number.isInteger(timeoutMs) || timeoutMs < 100 || timeoutMs > 120000)
    throw new UsageError('--timeout-ms must be an integer from 100 to 120000');
  return {
    url,
    connectTo: values['connect-to'] ?? null,
    insecure: values.insecure === true,
    message: values.message ?? 'keiko says hello',
    timeoutMs,
  };
}

/** A client frame: FIN, the opcode, masked as RFC 6455 requires of clients. */
function frame(opcode, payload) {
  const mask = randomBytes(4);
  const length = payload.length;
  const header =
    length < 126
      ? Buffer.from([0x80 | opcode, 0x80 | length])
      : length < 65536
        ? Buffer.from([0x80 | opcode, 0x80 | 126, length >> 8, length & 0xff])
        : Buffer.concat([Buffer.from([0x80 | opcode, 0x80 | 127]), bigLength(length)]);
  const masked = Buffer.alloc(length);
  for (let i = 0; i < length; i += 1) masked[i] = payload[i] ^ mask[i % 4];
  return Buffer.concat([header, mask, masked]);
}

function bigLength(length) {
  const buffer = Buffer.alloc(8);
  buffer.writeBigUInt64BE(BigInt(length));
  return buffer;
}

/** The next complete frame at the start of the buffer, or null until more bytes come. */
function readFrame(buffer) {
  if (buffer.length < 2) return null;
  const fin = (buffer[0] & 0x80) !== 0;
  const opcode = buffer[0] & 0x0f;
  const masked = (buffer[1] & 0x80) !== 0;
  let length = buffer[1] & 0x7f;
  let offset = 2;
  if (length === 126) {
    if (buffer.length < 4) return null;
    length = buffer.readUInt16BE(2);
    offset = 4;
  } else if (length === 127) {
    if (buffer.length < 10) return null;
    length = Number(buffer.readBigUInt64BE(2));
    offset = 10;
  }
  if (length > MAX_MESSAGE) throw new Error(`the server sent a frame of ${length} bytes`);
  const maskKey = masked ? buffer.subarray(offset, offset + 4) : null;
  if (masked) offset += 4;
  if (buffer.length < offset + length) return null;
  const payload = Buffer.from(buffer.subarray(offset, offset + length));
  if (maskKey) for (let i = 0; i < payload.length; i += 1) payload[i] ^= maskKey[i % 4];
  return { fin, opcode, payload, rest: buffer.subarray(offset + length) };
}

function probe(options) {
  const { url } = options;
  const secure = url.protocol === 'wss:';
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const port = Number(url.port || (secure ? 443 : 80));
  const key = randomBytes(16).toString('base64');
  const expectedAccept = createHash('sha1')
    .update(key + GUID)
    .digest('base64');
  const facts = {
    ok: false,
    stage: 'connect',
    error: null,
    offered: {
      url: url.href,
      connectTo: options.connectTo,
      message: options.message,
      insecure: options.insecure,
    },
    tls: null,
    status: null,
    statusLine: null,
    headers: {},
    acceptValid: false,
    received: null,
    receivedBinary: false,
    closeCode: null,
    elapsedMs: 0,
  };
  const started = Date.now();
  return new Promise((resolve) => {
    let settled = false;
    let socket;
    const finish = (error) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      facts.error = error ?? null;
      facts.ok = error === undefined;
      facts.elapsedMs = Date.now() - started;
      socket?.destroy();
      resolve(facts);
    };
    const timer = setTimeout(() => finish(`timed out after ${options.timeoutMs} ms`), options.timeoutMs);
    const address = options.connectTo ?? host;
    socket = secure
      ? tls.connect({
          host: address,
          port,
          servername: isIP(host) ? undefined : host,
          rejectUnauthorized: !options.insecure,
          ALPNProtocols: ['http/1.1'],
        })
      : net.connect({ host: address, port });
    socket.on('error', (error) => finish(error.message));
    socket.on('close', () => finish(facts.stage === 'done' ? undefined : 'the server closed the connection'));
    socket.once(secure ? 'secureConnect' : 'connect', () => {
      if (secure) facts.tls = { protocol: socket.getProtocol(), alpn: socket.alpnProtocol || null };
      facts.stage = 'handshake';
      const path = `${url.pathname || '/'}${url.search}`;
      const hostHeader = url.port ? `${url.hostname}:${url.port}` : url.hostname;
      socket.write(
        `GET ${path} HTTP/1.1\r\nHost: ${hostHeader}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
          `Sec-WebSocket-Key: ${key}\r\nSec-WebSocket-Version: 13\r\nUser-Agent: keiko-ws-probe\r\n\r\n`,
      );
    });
    let buffer = Buffer.alloc(0);
    let fragments = [];
    socket.on('data', (chunk) => {
      buffer = Buffer.concat([buffer, chunk]);
      try {
        if (facts.stage === 'handshake') {
          const end = buffer.indexOf('\r\n\r\n');
          if (end < 0) {
            if (buffer.length > 65536) finish('the handshake answer has no end');
            return;
          }
          const [statusLine, ...lines] = buffer.subarray(0, end).toString('latin1').split('\r\n');
          buffer = buffer.subarray(end + 4);
          facts.statusLine = statusLine;
          facts.status = Number(/^HTTP\/\d(?:\.\d)? (\d{3})/.exec(statusLine)?.[1] ?? 0) || null;
          for (const line of lines) {
            const colon = line.indexOf(':');
            if (colon > 0)
              facts.headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
          }
          facts.acceptValid = facts.headers['sec-websocket-accept'] === expectedAccept;
          if (facts.status !== 101)
            return finish(`the server answered ${statusLine}, not 101 Switching Protocols`);
          if (!facts.acceptValid)
            return finish('the Sec-WebSocket-Accept header does not match the key sent');
          facts.stage = 'message';
          socket.write(frame(0x1, Buffer.from(options.message, 'utf8')));
        }
        while (facts.stage === 'message') {
          const next = readFrame(buffer);
          if (!next) return;
          buffer = next.rest;
          if (next.opcode === 0x9) socket.write(frame(0xa, next.payload));
          else if (next.opcode === 0x8) {
            facts.closeCode = next.payload.length >= 2 ? next.payload.readUInt16BE(0) : null;
            return finish('the server closed the WebSocket before answering');
          } else if (next.opcode === 0x1 || next.opcode === 0x2 || next.opcode === 0x0) {
            if (next.opcode !== 0x0) facts.receivedBinary = next.opcode === 0x2;
            fragments.push(next.payload);
            if (next.fin) {
              facts.received = Buffer.concat(fragments).toString('utf8');
              fragments = [];
              facts.stage = 'done';
              socket.write(frame(0x8, Buffer.from([0x03, 0xe8])));
              return finish();
            }
          }
        }
      } catch (error) {
        finish(error instanceof Error ? error.message : String(error));
      }
    });
  });
}

/** One probe, whole: what the one-shot script prints and its exit code (the agent calls this). */
export async function run(args) {
  try {
    const facts = await probe(parseArgs(args));
    return { exitCode: 0, stdout: `${JSON.stringify(facts)}\n`, stderr: '' };
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    return { exitCode: 2, stdout: '', stderr: `ws-probe: ${error.message}\n` };
  }
}

if (!globalThis.keikoProbeAgent) {
  const outcome = await run(process.argv.slice(2));
  process.stdout.write(outcome.stdout);
  process.stderr.write(outcome.stderr);
  if (outcome.exitCode !== 0) process.exit(outcome.exitCode);
}
