/**
 * What the proxy changes in headers on the way to the backend and back (proxy/README.md, "Host and
 * X-Forwarded-*"). Pure functions over Node's lower-cased header objects, so they are unit-tested.
 */
import type { IncomingHttpHeaders, OutgoingHttpHeaders } from 'node:http';

/** RFC 9110 §7.6.1 connection-specific headers: they describe one hop and are never forwarded. */
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'transfer-encoding',
  'te',
  'trailer',
  'upgrade',
  'proxy-authenticate',
  'proxy-authorization',
]);

/**
 * Headers a client could send to make the backend believe something false about the connection:
 * the proxy states these facts itself. The list is hprox's (Route.hs) plus RFC 7239 `Forwarded`.
 */
function isForgeable(name: string): boolean {
  return (
    name.startsWith('x-forwarded-') ||
    name.startsWith('proxy-') ||
    name.startsWith('cf-') ||
    name === 'forwarded' ||
    name === 'x-real-ip' ||
    name === 'x-scheme' ||
    name === 'cdn-loop'
  );
}

/** The header names a `Connection` header lists are hop-by-hop too (RFC 9110 §7.6.1). */
function connectionListed(headers: IncomingHttpHeaders): Set<string> {
  const value = headers.connection;
  const listed = new Set<string>();
  for (const token of (Array.isArray(value) ? value.join(',') : (value ?? '')).split(',')) {
    const name = token.trim().toLowerCase();
    if (name) listed.add(name);
  }
  return listed;
}

export interface ForwardContext {
  /** The client's address as the proxy's socket sees it. */
  clientAddress: string | undefined;
  /** Whether the client reached the proxy over TLS. */
  secure: boolean;
  /** `host:port` of the backend: the Host to send when the client sent none (HTTP/1.0). */
  upstreamAuthority: string;
  /** A WebSocket handshake passed raw: keep `Connection: Upgrade` and `Upgrade`. */
  upgrade?: boolean;
}

/** The client's authority: `:authority` for HTTP/2, else the Host header. */
export function requestAuthority(headers: IncomingHttpHeaders): string | undefined {
  const authority = headers[':authority'];
  if (typeof authority === 'string' && authority) return authority;
  return headers.host || undefined;
}

/** `::ffff:127.0.0.1` is how a dual-stack socket shows an IPv4 client; backends expect `127.0.0.1`. */
export function plainAddress(address: string | undefined): string | undefined {
  return address?.startsWith('::ffff:') && address.includes('.') ? address.slice(7) : address;
}

/**
 * The headers sent to the backend: the client's own (Host kept), minus pseudo-headers, hop-by-hop
 * and forgeable headers, plus X-Forwarded-For/-Proto/-Host stated by the proxy.
 */
export function upstreamRequestHeaders(
  incoming: IncomingHttpHeaders,
  context: ForwardContext,
): OutgoingHttpHeaders {
  const listed = connectionListed(incoming);
  const out: OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(incoming)) {
    if (value === undefined || name.startsWith(':')) continue;
    if (HOP_BY_HOP.has(name) || listed.has(name) || isForgeable(name)) continue;
    // The proxy answered `100 Continue` itself; the backend gets the body without asking.
    if (name === 'expect') continue;
    out[name] = value;
  }
  const authority = requestAuthority(incoming);
  out.host = authority ?? context.upstreamAuthority;
  const client = plainAddress(context.clientAddress);
  if (client) out['x-forwarded-for'] = client;
  out['x-forwarded-proto'] = context.secure ? 'https' : 'http';
  if (authority) out['x-forwarded-host'] = authority;
  if (context.upgrade) {
    out.connection = 'Upgrade';
    const upgrade = incoming.upgrade;
    if (upgrade) out.upgrade = upgrade;
  }
  return out;
}

/**
 * The backend's response headers as the client gets them: hop-by-hop headers removed (HTTP/2 forbids
 * them outright), the backend's Server and Date replaced by the proxy's own, as hprox does.
 */
export function clientResponseHeaders(
  incoming: IncomingHttpHeaders,
  options: { serverName: string },
): OutgoingHttpHeaders {
  const listed = connectionListed(incoming);
  const out: OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(incoming)) {
    if (value === undefined || name.startsWith(':')) continue;
    if (HOP_BY_HOP.has(name) || listed.has(name)) continue;
    if (name === 'server' || name === 'date') continue;
    out[name] = value;
  }
  out.server = options.serverName;
  return out;
}

/** A WebSocket handshake: `Upgrade: websocket` (any case), the only upgrade the proxy passes raw. */
export function isWebSocketUpgrade(headers: IncomingHttpHeaders): boolean {
  return (headers.upgrade ?? '').split(',').some((token) => token.trim().toLowerCase() === 'websocket');
}

/** An HTTP/1.1 request head for a raw tunnel; values are already free of CR/LF (Node's parser). */
export function requestHead(method: string, path: string, headers: OutgoingHttpHeaders): string {
  const lines = [`${method} ${path} HTTP/1.1`];
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    for (const one of Array.isArray(value) ? value : [value]) lines.push(`${name}: ${one}`);
  }
  return `${lines.join('\r\n')}\r\n\r\n`;
}
