/**
 * The listening port and what answers on it. With certificates: TLS 1.2+ with h2 and http/1.1 by ALPN
 * (one handler for both), SNI required, and plain HTTP on the same port redirected to HTTPS. Without:
 * HTTP/1.1 plus HTTP/2 with prior knowledge (h2c). A first-bytes sniff picks the server for each
 * connection, so all of it is one port, as with hprox.
 */
import http from 'node:http';
import http2 from 'node:http2';
import net from 'node:net';
import { plainAddress } from './headers';
import { createAgents } from './http-proxy';
import type { Logger } from './logger';
import type { ProxyOptions } from './options';
import { createRedirectHandler, createRequestHandler, type HandlerOptions } from './request-handler';
import { sortRoutes } from './routes';
import { sniffSocket } from './sniff';
import { loadCertificates, sniCallback, TLS12_CIPHERS } from './sni';
import { createUpgradeHandler } from './ws-proxy';

/** Streams one HTTP/2 connection may have open at once (nginx's default is 128, nghttpx's 100). */
export const MAX_CONCURRENT_STREAMS = 128;
/** Connections with no request in flight are closed after this. */
const IDLE_TIMEOUT_MS = 120_000;
/** A connection must say something (a TLS hello, a request line) within this. */
const FIRST_BYTES_TIMEOUT_MS = 10_000;

export interface RunningProxy {
  /** The bound address and port (the port is the real one when 0 was asked for). */
  address: net.AddressInfo;
  close(): Promise<void>;
}

export class ListenError extends Error {
  override name = 'ListenError';
}

const http2Settings: http2.Settings = { maxConcurrentStreams: MAX_CONCURRENT_STREAMS };

/**
 * Node's HTTP/1.1 server reads a socket's handle directly and never looks at bytes already read: the
 * sniffed ones are put back in the stream and the socket resumed, so they reach the parser as 'data'.
 * (The TLS and HTTP/2 servers take already-read bytes themselves.)
 */
function handOverPlain(server: http.Server, socket: net.Socket): void {
  server.emit('connection', socket);
  socket.resume();
}

export interface StartOptions {
  /** Log the "listening on" line (a cluster's primary says it once for all its workers instead). */
  announce?: boolean;
}

/** The line that says where the proxy listens and what it does. */
export function listeningLine(options: ProxyOptions, address: net.AddressInfo): string {
  return (
    `h2proxy listening on ${address.address}:${address.port} (${options.certificates.length ? 'TLS: h2, http/1.1' : 'plain: http/1.1, h2c'}); ` +
    `${options.routes.length} route(s)${options.ws ? `, websockets to ${options.ws.host}:${options.ws.port}` : ''}`
  );
}

export async function startProxy(
  options: ProxyOptions,
  logger: Logger,
  start: StartOptions = {},
): Promise<RunningProxy> {
  const agents = createAgents();
  const handlerOptions: HandlerOptions = {
    routes: sortRoutes(options.routes),
    agents,
    serverName: options.name,
    logger,
    responseTimeoutMs: options.timeoutMs,
  };
  const upgradeOptions = {
    routes: handlerOptions.routes,
    ws: options.ws,
    logger,
    responseTimeoutMs: options.timeoutMs,
  };
  const handler = createRequestHandler(handlerOptions);
  const onConnect = (_req: http.IncomingMessage, socket: net.Socket): void => {
    socket.end('HTTP/1.1 405 Method Not Allowed\r\ncontent-length: 0\r\nconnection: close\r\n\r\n');
  };
  const sockets = new Set<net.Socket>();
  let route: (socket: net.Socket) => void;
  const closers: (() => void)[] = [];

  if (options.certificates.length > 0) {
    const certificates = loadCertificates(options.certificates);
    // No certificate of its own: a client without SNI finds none and the handshake fails, as in hprox.
    const secure = http2.createSecureServer(
      {
        allowHTTP1: true,
        minVersion: 'TLSv1.2',
        ciphers: TLS12_CIPHERS,
        SNICallback: sniCallback(certificates),
        settings: http2Settings,
      },
      handler,
    );
    secure.setTimeout(IDLE_TIMEOUT_MS);
    secure.on('upgrade', createUpgradeHandler({ ...upgradeOptions, passWebSockets: true }, handler));
    secure.on('connect', onConnect);
    secure.on('tlsClientError', (error, tlsSocket) => {
      const sni = tlsSocket.servername;
      const hint = sni ? '' : ' (the client sent no SNI: use a host name, e.g. curl --resolve NAME:PORT:IP)';
      logger.warn(
        `TLS handshake from ${plainAddress(tlsSocket.remoteAddress) ?? '-'} failed: ${error.message.trim()}${hint}`,
      );
    });
    secure.on('sessionError', (error) => logger.debug(`HTTP/2 session error: ${error.message}`));
    const redirect = createRedirectHandler(handlerOptions);
    const insecure = http.createServer(redirect);
    insecure.on(
      'upgrade',
      createUpgradeHandler({ ...upgradeOptions, passWebSockets: !!options.ws }, redirect),
    );
    insecure.on('connect', onConnect);
    route = (socket) =>
      sniffSocket(socket, FIRST_BYTES_TIMEOUT_MS, (kind) => {
        if (kind === 'tls') secure.emit('connection', socket);
        else handOverPlain(insecure, socket);
      });
    closers.push(
      () => secure.close(),
      () => insecure.close(),
    );
  } else {
    const plain = http.createServer(handler);
    plain.on('upgrade', createUpgradeHandler({ ...upgradeOptions, passWebSockets: true }, handler));
    plain.on('connect', onConnect);
    plain.setTimeout(IDLE_TIMEOUT_MS);
    const h2c = http2.createServer({ settings: http2Settings }, handler);
    h2c.setTimeout(IDLE_TIMEOUT_MS);
    h2c.on('sessionError', (error) => logger.debug(`HTTP/2 session error: ${error.message}`));
    route = (socket) =>
      sniffSocket(socket, FIRST_BYTES_TIMEOUT_MS, (kind) => {
        if (kind === 'h2c') h2c.emit('connection', socket);
        else handOverPlain(plain, socket);
      });
    closers.push(
      () => plain.close(),
      () => h2c.close(),
    );
  }

  const front = net.createServer((socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    socket.setNoDelay(true);
    route(socket);
  });
  await new Promise<void>((resolve, reject) => {
    front.once('error', (error: NodeJS.ErrnoException) => {
      const where = `${options.bind ?? '*'}:${options.port}`;
      const why =
        error.code === 'EADDRINUSE'
          ? 'the port is in use'
          : error.code === 'EACCES'
            ? 'permission denied'
            : error.code === 'EADDRNOTAVAIL'
              ? 'no such local address'
              : error.message;
      reject(new ListenError(`cannot listen on ${where}: ${why}`));
    });
    front.listen({ port: options.port, host: options.bind }, () => resolve());
  });
  front.on('error', (error) => logger.error(`listening socket: ${error.message}`));
  const address = front.address() as net.AddressInfo;
  if (start.announce !== false) logger.info(listeningLine(options, address));

  return {
    address,
    close: () =>
      new Promise<void>((resolve) => {
        front.close(() => resolve());
        for (const close of closers) close();
        for (const socket of sockets) socket.destroy();
        agents.http.destroy();
        agents.https.destroy();
      }),
  };
}
