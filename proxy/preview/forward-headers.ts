/**
 * What the relay changes in a request before the learner's server sees it (docs/preview.md): the
 * platform's cookies and credentials go, Host becomes what the learner's own `curl localhost:<port>`
 * sends, and the browser's address for the page is kept in X-Forwarded-Host and -Proto.
 */
export interface HeaderRewrite {
  port: number;
  /** The preview origin's host, as the browser named it. */
  previewHost: string;
  previewProto: 'http' | 'https';
  /** Cookies the platform sets (its learner cookie, the preview cookie): never forwarded. */
  strippedCookies: readonly string[];
  /** True for an Authorization value that is the platform's (a session's bearer token). */
  isPlatformAuthorization(value: string): boolean;
  /** An upgrade keeps Connection and Upgrade; a plain request lets the HTTP client set them. */
  upgrade: boolean;
}

/** Hop-by-hop headers (RFC 9110 7.6.1) a relay that speaks HTTP itself must not pass on. */
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'proxy-authorization',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
]);

/** Takes the request's raw header list (name, value, name, value…) and returns the forwarded pairs. */
export function forwardHeaders(rawHeaders: readonly string[], rewrite: HeaderRewrite): [string, string][] {
  const out: [string, string][] = [];
  const stripped = new Set(rewrite.strippedCookies);
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    const name = rawHeaders[i]!;
    const value = rawHeaders[i + 1]!;
    const lower = name.toLowerCase();
    if (lower === 'host' || lower.startsWith('x-forwarded-') || lower === 'forwarded') continue;
    if (lower.startsWith('x-keiko-')) continue;
    if (!rewrite.upgrade && HOP_BY_HOP.has(lower)) continue;
    if (rewrite.upgrade && (lower === 'proxy-authorization' || lower === 'proxy-connection')) continue;
    if (lower === 'authorization' && rewrite.isPlatformAuthorization(value)) continue;
    if (lower === 'cookie') {
      const kept = value
        .split(';')
        .map((part) => part.trim())
        .filter((part) => part !== '' && !stripped.has(part.split('=')[0]!.trim()));
      if (kept.length > 0) out.push([name, kept.join('; ')]);
      continue;
    }
    out.push([name, value]);
  }
  out.unshift(['Host', `localhost:${rewrite.port}`]);
  out.push(['X-Forwarded-Host', rewrite.previewHost], ['X-Forwarded-Proto', rewrite.previewProto]);
  return out;
}

/** The response headers passed back to the browser: all but hop-by-hop ones. */
export function backwardHeaders(rawHeaders: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    if (HOP_BY_HOP.has(rawHeaders[i]!.toLowerCase())) continue;
    out.push(rawHeaders[i]!, rawHeaders[i + 1]!);
  }
  return out;
}
