/**
 * The reverse-proxy routing table, with hprox's `--rev [//domain/][/prefix/]host:port` syntax and its
 * order: routes for a domain before routes for any host, then the longest prefix first.
 */

/** A backend the proxy connects to; port 443 means TLS, as in hprox. */
export interface Upstream {
  host: string;
  port: number;
  tls: boolean;
}

export interface Route {
  /** Matched against the request's host (without its port), case-insensitively; absent = any host. */
  domain?: string;
  /** Path prefix without a trailing slash (`/` matches everything); stripped before forwarding. */
  prefix: string;
  upstream: Upstream;
  /** The `--rev` value as given, for logs and errors. */
  spec: string;
}

export class SpecError extends Error {
  override name = 'SpecError';
}

const HOST_PORT = /^(?:\[([0-9a-fA-F:.]+)\]|([^\s:/[\]]+))(?::(\d+))?$/;

/** `host:port`, `[v6]:port` or `host` (port 80, as hprox assumes). */
export function parseUpstream(value: string): Upstream {
  const match = HOST_PORT.exec(value);
  if (!match) throw new SpecError(`"${value}" is not host:port`);
  const host = match[1] ?? match[2] ?? '';
  const port = match[3] === undefined ? 80 : Number(match[3]);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new SpecError(`the port of "${value}" must be in range 1..65535`);
  }
  return { host, port, tls: port === 443 };
}

/** Parses one `--rev` value: `[//domain/][/prefix/]host:port`. */
export function parseRoute(spec: string): Route {
  let rest = spec;
  let domain: string | undefined;
  if (rest.startsWith('//')) {
    const end = rest.indexOf('/', 2);
    if (end <= 2) throw new SpecError(`"${spec}": a domain route is //domain/host:port`);
    domain = rest.slice(2, end).toLowerCase();
    rest = rest.slice(end);
  }
  let prefix = '/';
  if (rest.startsWith('/')) {
    const last = rest.lastIndexOf('/');
    prefix = rest.slice(0, last + 1);
    rest = rest.slice(last + 1);
  }
  if (!rest) throw new SpecError(`"${spec}" names no backend host:port`);
  let upstream: Upstream;
  try {
    upstream = parseUpstream(rest);
  } catch (error) {
    throw new SpecError(`"${spec}": ${(error as Error).message}`);
  }
  return { ...(domain ? { domain } : {}), prefix: normalizePrefix(prefix), upstream, spec };
}

/** `/api/` and `/api` are the same prefix; hprox 0.7 matches prefixes on path-segment boundaries. */
function normalizePrefix(prefix: string): string {
  const trimmed = prefix.replace(/\/+$/, '');
  return trimmed === '' ? '/' : trimmed;
}

/** Domain routes first, then longer prefixes; otherwise the command line's order (a stable sort). */
export function sortRoutes(routes: readonly Route[]): Route[] {
  return [...routes].sort(
    (a, b) =>
      Number(b.domain !== undefined) - Number(a.domain !== undefined) || b.prefix.length - a.prefix.length,
  );
}

/** The host of a Host header or `:authority`, lower-cased and without its port. */
export function hostWithoutPort(authority: string): string {
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(authority);
  if (bracketed?.[1]) return bracketed[1].toLowerCase();
  const colon = authority.lastIndexOf(':');
  const host = colon >= 0 && authority.indexOf(':') === colon ? authority.slice(0, colon) : authority;
  return host.toLowerCase();
}

export function prefixMatches(prefix: string, path: string): boolean {
  if (prefix === '/') return true;
  return path === prefix || path.startsWith(`${prefix}/`);
}

export interface RouteMatch {
  route: Route;
  /** The path and query to send to the backend, the prefix stripped (keeping the leading `/`). */
  upstreamPath: string;
}

/** The first route of the sorted table that matches the request's host and path, if any. */
export function findRoute(
  sorted: readonly Route[],
  authority: string | undefined,
  pathAndQuery: string,
): RouteMatch | undefined {
  const host = authority === undefined ? undefined : hostWithoutPort(authority);
  const queryAt = pathAndQuery.search(/[?#]/);
  const path = queryAt >= 0 ? pathAndQuery.slice(0, queryAt) : pathAndQuery;
  const query = queryAt >= 0 ? pathAndQuery.slice(queryAt) : '';
  for (const route of sorted) {
    if (route.domain !== undefined && route.domain !== host) continue;
    if (!prefixMatches(route.prefix, path)) continue;
    const stripped = route.prefix === '/' ? path : path.slice(route.prefix.length) || '/';
    return { route, upstreamPath: `${stripped}${query}` };
  }
  return undefined;
}
