/**
 * The preview origins (docs/preview.md): each session and port of it gets its own origin under a
 * wildcard, `http://s<hex>-<port>.localhost:3000` on a local install, so a learner's page never shares
 * an origin, cookies or storage with the platform, with another port, or with another session.
 *
 * Session ids (`s_` and 16 letters and digits of both cases) are written in hex in the host name,
 * because browsers lowercase host names.
 */
export interface PreviewDomain {
  scheme: 'http' | 'https';
  /** The part after `*.`, lowercase, e.g. `localhost`. */
  domain: string;
  /** `:3000`, or empty for the scheme's default port. */
  portSuffix: string;
}

/** A preview host names this session and port. */
export interface PreviewAddress {
  sessionId: string;
  port: number;
}

export function previewDomain(previewUrl: string): PreviewDomain {
  const url = new URL(previewUrl.replace('://*.', '://x.'));
  return {
    scheme: url.protocol === 'https:' ? 'https' : 'http',
    domain: url.hostname.slice(2).toLowerCase(),
    portSuffix: url.port ? `:${url.port}` : '',
  };
}

const SESSION_ID = /^s_[A-Za-z0-9]{1,30}$/;

export function previewLabel(address: PreviewAddress): string {
  if (!SESSION_ID.test(address.sessionId)) throw new RangeError(`not a session id: ${address.sessionId}`);
  return `s${Buffer.from(address.sessionId.slice(2), 'utf8').toString('hex')}-${address.port}`;
}

export function previewOrigin(domain: PreviewDomain, address: PreviewAddress): string {
  return `${domain.scheme}://${previewLabel(address)}.${domain.domain}${domain.portSuffix}`;
}

/**
 * The session and port a `Host` header names, or undefined when it is not a preview host of this
 * domain (the platform's own names never are: they have no `s<hex>-<port>.` label).
 */
export function parsePreviewHost(
  domain: PreviewDomain,
  host: string | undefined,
): PreviewAddress | undefined {
  if (!host) return undefined;
  const lower = host.toLowerCase();
  const suffix = `.${domain.domain}${domain.portSuffix}`;
  const defaultPort =
    domain.portSuffix === '' ? `.${domain.domain}:${domain.scheme === 'https' ? 443 : 80}` : '';
  const at = lower.endsWith(suffix) ? suffix : defaultPort && lower.endsWith(defaultPort) ? defaultPort : '';
  if (!at) return undefined;
  const match = /^s((?:[0-9a-f]{2}){1,30})-(\d{1,5})$/.exec(lower.slice(0, -at.length));
  if (!match) return undefined;
  const sessionId = `s_${Buffer.from(match[1]!, 'hex').toString('utf8')}`;
  const port = Number(match[2]);
  if (!SESSION_ID.test(sessionId) || port < 1 || port > 65_535) return undefined;
  return { sessionId, port };
}
