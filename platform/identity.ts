import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** The cookie that carries an anonymous learner's identity: `<id>.<signature>`. */
export const LEARNER_COOKIE = 'keiko_learner';

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

/** Reads one cookie from a Cookie header. */
export function readCookie(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const [key, ...rest] = part.trim().split('=');
    if (key === name) return decodeURIComponent(rest.join('='));
  }
  return undefined;
}
