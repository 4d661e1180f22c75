/**
 * WebSocket handshakes (HTTP/1.1 `Upgrade: websocket`) go raw to `--ws`, or to the matching `--rev`
 * backend: the proxy writes the rewritten request head, then copies bytes both ways until either side
 * closes. Any other upgrade (curl's `Upgrade: h2c`) is answered as an ordinary request, as hprox does.
 */
import http from 'node:http';
import net from 'node:net';
import type { Duplex } from 'node:stream';
import tls from 'node:tls';
import { isWebSocketUpgrade, plainAddress, requestHead, upstreamRequestHeaders } from './headers';
import { authorityOf } from './http-proxy';
import { clientConnection } from './http-types';
import type { Logger } from './logger';
import type { RequestHandler } from './request-handler';
import { findRoute, type Route, type Upstream } from './routes';

export interface UpgradeOptions {
  routes: readonly Route[];
  ws?: Upstream;
  logger: Logger;
  /** How long the backend may take to accept the connection. */
  responseTimeoutMs: number;
  /** Whether WebSockets are passed at all (plain HTTP on the TLS port: only with --ws, like hprox). */
  passWebSockets: boolean;
}

export type UpgradeHandler = (req: http.IncomingMessage, socket: Duplex, head: Buffer) => void;

export function createUpgradeHandler(options: UpgradeOptions, fallback: RequestHandler): UpgradeHandler {
  return (req, socket, head) => {
    const target =
      options.passWebSockets && isWebSocketUpgrade(req.headers) ? targetOf(req, options) : undefined;
    if (target) tunnel(req, socket, head, target, options);
    else answerAsRequest(req, socket, fallback);
  };
}

function targetOf(
  req: http.IncomingMessage,
  options: UpgradeOptions,
): { upstream: Upstream; path: string; via: string } | undefined {
  const url = req.url ?? '/';
  if (options.ws) return { upstream: options.ws, path: url, via: '--ws' };
  const match = findRoute(options.routes, req.headers.host, url);
  return match && { upstream: match.route.upstream, path: match.upstreamPath, via: match.route.spec };
}

/**
 * Node hands every request with an Upgrade header to the 'upgrade' listener once there is one; those
 * that are not WebSockets get an ordinary response on the socket, then the connection closes.
 */
function answerAsRequest(req: http.IncomingMessage, socket: Duplex, handler: RequestHandler): void {
  const res = new http.ServerResponse(req);
  res.shouldKeepAlive = false;
  res.assignSocket(socket as net.Socket);
  res.once('finish', () => {
    res.detachSocket(socket as net.Socket);
    socket.end();
  });
  socket.once('error', () => res.destroy());
  if (!req.complete) req.push(null);
  handler(req, res);
}

function rawError(socket: Duplex, status: string, message: string): void {
  const body = `${message}\n`;
  socket.end(
    `HTTP/1.1 ${status}\r\ncontent-type: text/plain; charset=utf-8\r\ncontent-length: ${Buffer.byteLength(body)}\r\n` +
      `connection: close\r\n\r\n${body}`,
  );
}

function tunnel(
  req: http.IncomingMessage,
  socket: Duplex,
  head: Buffer,
  target: { upstream: Upstream; path: string; via: string },
  options: UpgradeOptions,
): void {
  const started = performance.now();
  const connection = clientConnection(req);
  const { upstream } = target;
  const headers = upstreamRequestHeaders(req.headers, {
    clientAddress: connection.address,
    secure: connection.secure,
    upstreamAuthority: authorityOf(upstream),
    upgrade: true,
  });
  const backend = upstream.tls
    ? tls.connect({
        host: upstream.host,
        port: upstream.port,
        ALPNProtocols: ['http/1.1'],
        ...(net.isIP(upstream.host) ? {} : { servername: upstream.host }),
      })
    : net.connect({ host: upstream.host, port: upstream.port });
  let connected = false;
  let status = '-';

  backend.setTimeout(options.responseTimeoutMs, () =>
    backend.destroy(Object.assign(new Error('timeout'), { code: 'ETIMEDOUT' })),
  );
  backend.once(upstream.tls ? 'secureConnect' : 'connect', () => {
    connected = true;
    backend.setTimeout(0);
    backend.setNoDelay(true);
    backend.write(requestHead(req.method ?? 'GET', target.path, headers));
    if (head.length) backend.write(head);
    socket.pipe(backend);
    backend.pipe(socket);
    backend.once('data', (chunk: Buffer) => {
      status = /^HTTP\/1\.[01] (\d{3})/.exec(chunk.toString('latin1', 0, 16))?.[1] ?? '?';
    });
  });
  backend.on('error', (error: NodeJS.ErrnoException) => {
    options.logger.warn(
      `websocket backend ${authorityOf(upstream)} (${target.via}): ${error.code ?? error.message}`,
    );
    if (connected) socket.destroy();
    else
      rawError(
        socket,
        '502 Bad Gateway',
        `Bad Gateway: ${authorityOf(upstream)} ${error.code ?? error.message}`,
      );
  });
  socket.on('error', () => backend.destroy());
  socket.once('close', () => backend.destroy());
  backend.once('close', () => {
    socket.end();
    const ms = (performance.now() - started).toFixed(1);
    options.logger.info(
      `${plainAddress(connection.address) ?? '-'} "${req.method} ${req.headers.host ?? ''}${req.url}" ${status} ` +
        `${connection.protocol}${connection.secure ? ' (tls)' : ''} websocket to ${authorityOf(upstream)} ${ms} ms`,
    );
  });
}
