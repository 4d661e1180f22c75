import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** The cookie that carries an anonymous learner's identity: `<id>.<signature>`. */
export const LEARNER_COOKIE = 'keiko_learner';
/**
 * Its name when the platform is served over https: the `__Host-` prefix makes browsers refuse it
 * unless it is `Secure`, for `/`, and set by this very host (no sibling subdomain can plant one).
 */
export const SECURE_LEARNER_COOKIE = `__Host-${LEARNER_COOKIE}`;

/** The name a new learner cookie gets: `__Host-keiko_learner` on https, `keiko_learner` on http. */
export function learnerCookieName(publicUrl: string): string {
  return publicUrl.startsWith('https:') ? SECURE_LEARNER_COOKIE : LEARNER_COOKIE;
}

/**
 * The learner of a request by either cookie name (the `__Host-` one first): a learner whose cookie
 * was set under the older plain name keeps their identity and progress.
 */
export function learnerFromCookies(
  secret: Buffer,
  cookie: (name: string) => string | undefined,
): string | undefined {
  return (
    verifyLearnerCookie(secret, cookie(SECURE_LEARNER_COOKIE)) ??
    verifyLearnerCookie(secret, cookie(LEARNER_COOKIE))
  );
}

export function newLearnerId(): string {
  return `l_${randomBytes(12).toString('base64url').replace(/[-_]/g, 'x')}`;
}

function sign(secret: Buffer, purpose: string, value: string): string {
  return createHmac('sha256', secret).update(`${purpose}\0${value}`).digest('base64url');
}

function same(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

export function learnerCookieValue(secret: Buffer, learnerId: string): string {
  return `${learnerId}.${sign(secret, 'learner', learnerId)}`;
}

/** The learner id of a cookie value Keiko signed, or undefined for anything else. */
export function verifyLearnerCookie(secret: Buffer, value: string | undefined): string | undefined {
  if (!value) return undefined;
  const dot = value.lastIndexOf('.');
  if (dot <= 0) return undefined;
  const id = value.slice(0, dot);
  return same(value.slice(dot + 1), sign(secret, 'learner', id)) ? id : undefined;
}

/**
 * A session's bearer token: derived from the server secret and the session id, so it needs no
 * storage, survives a restart, and says nothing about any other session.
 */
export function sessionToken(secret: Buffer, sessionId: string): string {
  return sign(secret, 'session-token', sessionId);
}

export function verifySessionToken(secret: Buffer, sessionId: string, token: string | undefined): boolean {
  return token !== undefined && same(token, sessionToken(secret, sessionId));
}

/**
 * Reads one cookie from a Cookie header. A value that is not valid percent-encoding (`%`, `%zz`) is
 * taken as it is: it then fails verification like any other forged value, instead of throwing.
 */
export function readCookie(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const [key, ...rest] = part.trim().split('=');
    if (key !== name) continue;
    const raw = rest.join('=');
    try {
      return decodeURIComponent(raw);
    } catch {
      return raw;
    }
  }
  return undefined;
}
