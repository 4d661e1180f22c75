/**
 * The names this server answers to, and the rules built on them (docs/security-boundary.md):
 *
 * - the Host rule: a request whose `Host` is not one of these names is refused, so a DNS-rebinding
 *   page (`attacker.example` that now resolves to 127.0.0.1) cannot talk to the platform;
 * - the Origin rule: a WebSocket upgrade or a state-changing request that a browser sends from a page
 *   of another origin is refused, so another site can neither open a learner's terminal nor start labs
 *   (and so replace their identity) in their name.
 *
 * The names are the public URL's, and, while the server listens on loopback (or on every address),
 * `localhost`, `127.0.0.1` and `[::1]` on its port: what `keiko serve` prints and what a developer
 * types are both accepted.
 */
export interface ServerNames {
  /** `host[:port]` values a `Host` header may carry, lowercase. */
  readonly hosts: ReadonlySet<string>;
  /** Origins (`scheme://host[:port]`) of this server's pages. */
  readonly origins: ReadonlySet<string>;
  /** The public URL's origin, for links built without a request. */
  readonly publicOrigin: string;
}

const LOOPBACK_NAMES = ['localhost', '127.0.0.1', '[::1]'];

/** Whether a bind address includes the loopback interface. */
export function listensOnLoopback(bindHost: string): boolean {
  const host = bindHost.toLowerCase();
  return (
    host === 'localhost' ||
    host === '::1' ||
    host === '[::1]' ||
    host.startsWith('127.') ||
    host === '0.0.0.0' ||
    host === '::' ||
    host === '[::]'
  );
}

export function serverNames(options: { publicUrl: string; bindHost: string; port: number }): ServerNames {
  const publicUrl = new URL(options.publicUrl);
  const hosts = new Set<string>([publicUrl.host]);
  // A proxy in front may name the default port explicitly (`keiko.example:443`).
  hosts.add(`${publicUrl.hostname}:${publicUrl.port || (publicUrl.protocol === 'https:' ? 443 : 80)}`);
  const origins = new Set<string>([publicUrl.origin]);
  if (listensOnLoopback(options.bindHost)) {
    for (const name of LOOPBACK_NAMES) {
      hosts.add(`${name}:${options.port}`);
      origins.add(`http://${name}:${options.port}`);
      if (options.port === 80) {
        hosts.add(name);
        origins.add(`http://${name}`);
      }
    }
  }
  return { hosts, origins, publicOrigin: publicUrl.origin };
}

/** Whether a `Host` header names this server. A missing or malformed one does not. */
export function isOwnHost(names: ServerNames, host: string | undefined): boolean {
  if (!host || !/^[A-Za-z0-9.\-[\]:]+$/.test(host)) return false;
  return names.hosts.has(host.toLowerCase());
}

/** Whether an `Origin` header is one of this server's pages. `null` and malformed ones are not. */
export function isOwnOrigin(names: ServerNames, origin: string): boolean {
  return names.origins.has(origin.toLowerCase());
}

/**
 * Why a state-changing request must be refused as cross-site, or undefined when it may go on.
 * Browsers send `Sec-Fetch-Site` and `Origin` with every POST, PUT and DELETE; clients that are not
 * browsers (curl, the CLI graders) send neither and carry no ambient cookie, so they may go on.
 */
export function crossSiteRefusal(
  names: ServerNames,
  headers: { origin?: string | undefined; secFetchSite?: string | undefined },
): string | undefined {
  if (headers.secFetchSite === 'cross-site')
    return 'a page of another site may not change anything here (Sec-Fetch-Site: cross-site).';
  if (headers.origin !== undefined && !isOwnOrigin(names, headers.origin))
    return `a page of another origin (${headers.origin.slice(0, 100)}) may not change anything here.`;
  return undefined;
}

/**
 * The origin a page used to reach this server, from its (already checked) `Host`: the public URL's
 * origin when the Host is the public one, `http://<host>` for a loopback name.
 */
export function requestOrigin(names: ServerNames, host: string | undefined): string {
  if (!isOwnHost(names, host)) return names.publicOrigin;
  const publicUrl = new URL(names.publicOrigin);
  const lower = host!.toLowerCase();
  if (lower === publicUrl.host || lower.replace(/:\d+$/, '') === publicUrl.hostname)
    return names.publicOrigin;
  return `http://${lower}`;
}
