import type http from 'node:http';
import type { Duplex } from 'node:stream';
import { crossSiteRefusal, isOwnHost, type ServerNames } from './server-names';

/**
 * What `keiko serve` decides about a request before Next.js or the terminal sees it: the Host rule
 * and the cross-site rule (docs/security-boundary.md). Every refusal is a 4xx with a sentence.
 */
export interface Refusal {
  status: number;
  code: string;
  message: string;
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Headers Next.js uses between its own parts. A client has no business sending them: one of them
 * (`x-middleware-subrequest`) once let a request skip middleware (CVE-2025-29927), so they are
 * removed before Next sees the request.
 */
export const INTERNAL_HEADERS = [
  'x-middleware-subrequest',
  'x-middleware-prefetch',
  'x-middleware-invoke',
  'x-middleware-next',
  'x-middleware-rewrite',
  'x-middleware-redirect',
  'x-middleware-set-cookie',
  'x-invoke-path',
  'x-invoke-query',
  'x-invoke-status',
  'x-invoke-error',
  'x-invoke-output',
  'x-now-route-matches',
] as const;

export function hostRefusal(names: ServerNames, request: http.IncomingMessage): Refusal | undefined {
  if (isOwnHost(names, request.headers.host)) return undefined;
  return {
    status: 421,
    code: 'unknown_host',
    message:
      `this server does not answer to the name ${JSON.stringify(request.headers.host ?? '').slice(0, 100)}; ` +
      `open ${names.publicOrigin} (or set KEIKO_PUBLIC_URL to the address browsers use).`,
  };
}

/**
 * A request target that is not a plain path (`//a:99999/`, `http://…`, `*`) or whose path is not valid
 * percent-encoding (`/api/labs/%E0%A4%A/…`): Next.js would redirect the first and fail with a 500 on
 * the second.
 */
export function targetRefusal(target: string | undefined): Refusal | undefined {
  const bad = (message: string): Refusal => ({ status: 400, code: 'bad_request_target', message });
  if (!target || !target.startsWith('/') || target.startsWith('//'))
    return bad('the request target must be a path that starts with a single /.');
  const pathname = target.split(/[?#]/, 1)[0]!;
  try {
    decodeURIComponent(pathname);
  } catch {
    return bad('the request path is not valid percent-encoding.');
  }
  return undefined;
}

/** The Host rule for every request, and the cross-site rule for those that change something. */
export function requestRefusal(names: ServerNames, request: http.IncomingMessage): Refusal | undefined {
  const host = hostRefusal(names, request);
  if (host) return host;
  const target = targetRefusal(request.url);
  if (target) return target;
  if (SAFE_METHODS.has(request.method ?? 'GET')) return undefined;
  const reason = crossSiteRefusal(names, {
    origin: request.headers.origin,
    secFetchSite: header(request, 'sec-fetch-site'),
  });
  return reason ? { status: 403, code: 'cross_site', message: reason } : undefined;
}

export function stripInternalHeaders(request: http.IncomingMessage): void {
  for (const name of INTERNAL_HEADERS) delete request.headers[name];
  for (let i = request.rawHeaders.length - 2; i >= 0; i -= 2) {
    if ((INTERNAL_HEADERS as readonly string[]).includes(request.rawHeaders[i]!.toLowerCase()))
      request.rawHeaders.splice(i, 2);
  }
}

export function sendRefusal(response: http.ServerResponse, refusal: Refusal): void {
  const body = JSON.stringify({ error: { code: refusal.code, message: refusal.message } });
  response.writeHead(refusal.status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(body),
    'cache-control': 'no-store',
    connection: 'close',
  });
  response.end(body);
}

const REASONS: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  408: 'Request Timeout',
  421: 'Misdirected Request',
  431: 'Request Header Fields Too Large',
  503: 'Service Unavailable',
};

/** Answers an upgrade (or a request the HTTP parser gave up on) with a plain HTTP error, and closes it. */
export function refuseSocket(socket: Duplex, status: number, message: string): void {
  if (socket.destroyed) return;
  const text = `${message.replace(/[\r\n]+/g, ' ')}\n`;
  const reason = REASONS[status] ?? 'Error';
  socket.end(
    `HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Type: text/plain; charset=utf-8\r\n` +
      `Content-Length: ${Buffer.byteLength(text)}\r\n\r\n${text}`,
  );
  // A client that never reads its answer does not hold the socket open.
  setTimeout(() => socket.destroy(), 1_000).unref();
}

function header(request: http.IncomingMessage, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}
