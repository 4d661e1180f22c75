/**
 * Forwarding one request to an HTTP/1.1 backend and its answer back, both bodies streamed with
 * backpressure (pipe): the proxy never holds a whole body, whatever its size.
 */
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import { clientResponseHeaders, upstreamRequestHeaders } from './headers';
import {
  clientConnection,
  clientGone,
  responseCompleted,
  type ServerRequestLike,
  type ServerResponseLike,
} from './http-types';
import type { Logger } from './logger';
import { sendError } from './pages';
import type { RouteMatch, Upstream } from './routes';

/** Keep-alive connections to the backends, shared by every client. */
export interface UpstreamAgents {
  http: http.Agent;
  https: https.Agent;
}

/**
 * Connections to one backend at once; more requests wait in the agent's queue (a few hundred bytes
 * each). The backends of the lessons are small Python servers (cheroot: 10 threads, 10 idle keep-alive
 * connections, a listen backlog of 5; wsgiref: one request at a time): past a few connections they
 * close keep-alive connections or drop SYNs (a 1 s retransmit), so waiting here is faster. nghttpx
 * allows 8 per backend by default.
 */
export const MAX_SOCKETS_PER_BACKEND = 16;
/** Idle keep-alive connections are closed after this, before a backend's own idle timeout races a reuse. */
const IDLE_SOCKET_MS = 4_000;

export function createAgents(): UpstreamAgents {
  const options = {
    keepAlive: true,
    maxSockets: MAX_SOCKETS_PER_BACKEND,
    maxFreeSockets: MAX_SOCKETS_PER_BACKEND,
    timeout: IDLE_SOCKET_MS,
    // The most recently used connection is the least likely to have been closed by the backend.
    scheduling: 'lifo' as const,
  };
  return { http: new http.Agent(options), https: new https.Agent(options) };
}

export interface ForwardOptions {
  agents: UpstreamAgents;
  serverName: string;
  logger: Logger;
  /** How long the backend may take to start its answer (connect + response head) before a 504. */
  responseTimeoutMs: number;
}

class GatewayTimeout extends Error {
  override name = 'GatewayTimeout';
}

export function authorityOf(upstream: Upstream): string {
  const host = net.isIPv6(upstream.host) ? `[${upstream.host}]` : upstream.host;
  return `${host}:${upstream.port}`;
}

/**
 * A request whose body is known to be empty: an HTTP/2 stream the client ended with its headers, or
 * an HTTP/1.1 request with neither Content-Length (other than 0) nor Transfer-Encoding.
 */
function hasNoBody(req: ServerRequestLike): boolean {
  if ('stream' in req) return req.stream.endAfterHeaders;
  const length = req.headers['content-length'];
  return (length === undefined || length === '0') && req.headers['transfer-encoding'] === undefined;
}

/** Requests that can be sent again when a reused keep-alive connection turns out to be closed. */
function isRetriable(req: ServerRequestLike): boolean {
  const method = req.method ?? 'GET';
  return hasNoBody(req) && (method === 'GET' || method === 'HEAD' || method === 'OPTIONS');
}

export function forwardRequest(
  req: ServerRequestLike,
  res: ServerResponseLike,
  match: RouteMatch,
  options: ForwardOptions,
): void {
  const upstream = match.route.upstream;
  const connection = clientConnection(req);
  const headers = upstreamRequestHeaders(req.headers, {
    clientAddress: connection.address,
    secure: connection.secure,
    upstreamAuthority: authorityOf(upstream),
  });
  let answered = false;
  /** Set once the client reset its stream or closed its connection before the answer was done. */
  let cancelled = false;

  const send = (retried: boolean): void => {
    const upstreamReq = (upstream.tls ? https : http).request({
      host: upstream.host,
      port: upstream.port,
      method: req.method ?? 'GET',
      path: match.upstreamPath,
      headers,
      agent: upstream.tls ? options.agents.https : options.agents.http,
      ...(upstream.tls && !net.isIP(upstream.host) ? { servername: upstream.host } : {}),
    });
    upstreamReq.setTimeout(options.responseTimeoutMs, () =>
      upstreamReq.destroy(new GatewayTimeout(`no answer within ${options.responseTimeoutMs / 1000} s`)),
    );

    upstreamReq.on('response', (upstreamRes) => {
      answered = true;
      // Past the head, a slow body is paced by the client's reading (backpressure), not a timer.
      upstreamReq.setTimeout(0);
      res.writeHead(
        upstreamRes.statusCode ?? 502,
        clientResponseHeaders(upstreamRes.headers, { serverName: options.serverName }),
      );
      upstreamRes.pipe(res);
      upstreamRes.on('close', () => {
        // A backend that dies mid-body must not look like a complete response to the client.
        if (!upstreamRes.complete) res.destroy();
      });
    });

    upstreamReq.on('error', (error: NodeJS.ErrnoException) => {
      // A client's cancel is not the backend's failure: no log, no 502 on a closed stream, no resend.
      if (cancelled || clientGone(res)) return;
      if (answered) {
        res.destroy();
        return;
      }
      if (!retried && upstreamReq.reusedSocket && error.code === 'ECONNRESET' && isRetriable(req)) {
        options.logger.debug(`${authorityOf(upstream)} closed a kept-alive connection; sending again`);
        send(true);
        return;
      }
      answered = true;
      req.unpipe(upstreamReq);
      req.resume(); // drain what the client still sends, so its connection stays usable
      const timedOut = error instanceof GatewayTimeout;
      const reason = timedOut ? error.message : (error.code ?? error.message);
      options.logger.warn(`backend ${authorityOf(upstream)} for ${match.route.spec}: ${reason}`);
      if (res.headersSent) res.destroy();
      else
        sendError(
          res,
          timedOut ? 504 : 502,
          `${timedOut ? 'Gateway Timeout' : 'Bad Gateway'}: ${authorityOf(upstream)} ${reason}`,
          options.serverName,
        );
    });

    res.once('close', () => {
      // The client went away (or reset its stream): stop the backend's work for it, and free the
      // backend socket now rather than at the timeout.
      if (responseCompleted(res)) return;
      cancelled = true;
      upstreamReq.destroy();
    });

    if (retried || hasNoBody(req)) {
      req.resume();
      upstreamReq.end(); // headers and end in one write
    } else {
      upstreamReq.flushHeaders(); // a long upload starts at the backend right away
      // Not pipe's own end: an HTTP/2 request whose stream the client reset ends ('end') before it
      // says it was aborted, and ending here would hand the backend a truncated body as a whole one.
      req.pipe(upstreamReq, { end: false });
      req.once('end', () =>
        setImmediate(() => {
          if (!cancelled && !req.aborted) upstreamReq.end();
        }),
      );
    }
  };

  req.once('error', () => res.destroy());
  send(false);
}
