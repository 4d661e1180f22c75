/** The answers the proxy gives itself, as hprox does: health check, default page, HTTPS redirect. */
import type { OutgoingHttpHeaders } from 'node:http';
import type { ServerResponseLike } from './http-types';

export const HEALTH_PATH = '/.hprox/health';

/** hprox's fallback page (DumbApp.hs), served when no `--rev` route matches. */
export const IT_WORKS_PAGE =
  '<html><body><h1>It works!</h1>\n' +
  '<p>This is the default web page for this server.</p>\n' +
  '<p>The web server software is running but no content has been added, yet.</p>\n' +
  '</body></html>\n';

export function send(
  res: ServerResponseLike,
  status: number,
  headers: OutgoingHttpHeaders,
  body: string,
  serverName: string,
): void {
  const bytes = Buffer.from(body);
  res.writeHead(status, { ...headers, 'content-length': bytes.length, server: serverName });
  res.end(bytes);
}

export function sendHealth(res: ServerResponseLike, serverName: string): void {
  send(res, 200, { 'content-type': 'text/plain' }, 'okay', serverName);
}

export function sendItWorks(res: ServerResponseLike, serverName: string): void {
  send(res, 200, { 'content-type': 'text/html' }, IT_WORKS_PAGE, serverName);
}

/**
 * Plain HTTP that reached the TLS port: hprox's forceSSL answers 301 to `https://<Host>` (the path is
 * dropped, as hprox does), or 426 when there is no Host to send the client to.
 */
export function sendHttpsRedirect(
  res: ServerResponseLike,
  host: string | undefined,
  serverName: string,
): void {
  if (host) send(res, 301, { location: `https://${host}` }, '', serverName);
  else send(res, 426, { upgrade: 'TLS/1.0, HTTP/1.1', connection: 'Upgrade' }, '', serverName);
}

export function sendError(
  res: ServerResponseLike,
  status: number,
  message: string,
  serverName: string,
): void {
  send(res, status, { 'content-type': 'text/plain; charset=utf-8' }, `${message}\n`, serverName);
}
