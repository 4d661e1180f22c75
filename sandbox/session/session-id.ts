import { randomBytes } from 'node:crypto';

/** A new session id: `s_` and 16 characters a URL, a container name and a label all accept. */
export function newSessionId(): string {
  return `s_${randomBytes(12).toString('base64url').replace(/[-_]/g, 'x')}`;
}
