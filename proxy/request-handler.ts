/**
 * What happens to one request, in hprox's middleware order: the health check, then (plain HTTP on the
 * TLS port) the redirect to HTTPS, then the first matching `--rev` route, then the "It works!" page.
 */
import { plainAddress, requestAuthority } from './headers';
import { forwardRequest, type ForwardOptions } from './http-proxy';
import { clientConnection, type ServerRequestLike, type ServerResponseLike } from './http-types';
import { HEALTH_PATH, sendError, sendHealth, sendHttpsRedirect, sendItWorks } from './pages';
import { findRoute, type Route } from './routes';

export interface HandlerOptions extends ForwardOptions {
  /** Sorted with sortRoutes. */
  routes: readonly Route[];
}

export type RequestHandler = (req: ServerRequestLike, res: ServerResponseLike) => void;

/** One info line per request once its answer is done: method, host and path, status, protocol, time. */
function logWhenDone(req: ServerRequestLike, res: ServerResponseLike, options: HandlerOptions): void {
  if (!options.logger.enabled('info')) return;
  const started = performance.now();
  const connection = clientConnection(req);
  let logged = false;
  const log = (): void => {
    if (logged) return;
    logged = true;
    const ms = (performance.now() - started).toFixed(1);
    const status = res.headersSent ? String(res.statusCode) : '-';
    const outcome = res.writableFinished ? '' : ' (aborted)';
    options.logger.info(
      `${plainAddress(connection.address) ?? '-'} "${req.method} ${requestAuthority(req.headers) ?? ''}${req.url}" ` +
        `${status} ${connection.protocol}${connection.secure ? ' (tls)' : ''} ${ms} ms${outcome}`,
    );
  };
  res.once('finish', log);
  res.once('close', log);
}

function pathOf(url: string): string {
  const end = url.search(/[?#]/);
  return end >= 0 ? url.slice(0, end) : url;
}

/** Answers everything the proxy answers itself; true when it did. */
function answerBuiltIn(req: ServerRequestLike, res: ServerResponseLike, serverName: string): boolean {
  const url = req.url ?? '';
  if (pathOf(url) === HEALTH_PATH) {
    sendHealth(res, serverName);
    return true;
  }
  if (req.method === 'CONNECT') {
    sendError(res, 405, 'h2proxy is a reverse proxy: CONNECT is not supported', serverName);
    return true;
  }
  if (!url.startsWith('/')) {
    sendError(
      res,
      400,
      'h2proxy is a reverse proxy: absolute URLs (forward proxying) are not supported',
      serverName,
    );
    return true;
  }
  return false;
}

/** The handler of the proxy's port (TLS, or plain HTTP when no certificate is given). */
export function createRequestHandler(options: HandlerOptions): RequestHandler {
  return (req, res) => {
    logWhenDone(req, res, options);
    if (answerBuiltIn(req, res, options.serverName)) return;
    const match = findRoute(options.routes, requestAuthority(req.headers), req.url ?? '/');
    if (match) forwardRequest(req, res, match, options);
    else sendItWorks(res, options.serverName);
  };
}

/** The handler of plain HTTP that reached the TLS port: health, else the redirect to HTTPS. */
export function createRedirectHandler(options: HandlerOptions): RequestHandler {
  return (req, res) => {
    logWhenDone(req, res, options);
    if (pathOf(req.url ?? '') === HEALTH_PATH) sendHealth(res, options.serverName);
    else sendHttpsRedirect(res, requestAuthority(req.headers), options.serverName);
  };
}
