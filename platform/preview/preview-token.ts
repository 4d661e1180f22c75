import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';

/**
 * Signed grants to one preview origin (docs/preview.md). A *link* is what the lab panel opens: it
 * lives a minute and is spent by `/__keiko/open` on the preview origin, which turns it into a *cookie*
 * for that origin only, valid until the session's end. Both name the session, the port and the
 * learner, and are signed with the server secret, each for its own purpose, so one is never the other.
 */
export const PreviewGrantSchema = z
  .object({
    s: z.string().regex(/^s_[A-Za-z0-9]{1,30}$/),
    p: z.number().int().min(1).max(65_535),
    l: z.string().min(1).max(100),
    /** Expiry, ms since the epoch. */
    e: z.number().int(),
  })
  .strict();
export type PreviewGrant = z.infer<typeof PreviewGrantSchema>;

export type GrantPurpose = 'preview-link' | 'preview-cookie';

function mac(secret: Buffer, purpose: GrantPurpose, payload: string): string {
  return createHmac('sha256', secret).update(`${purpose}\0${payload}`).digest('base64url');
}

export function signGrant(secret: Buffer, purpose: GrantPurpose, grant: PreviewGrant): string {
  const payload = Buffer.from(JSON.stringify(grant)).toString('base64url');
  return `${payload}.${mac(secret, purpose, payload)}`;
}

/** The grant when the value is one Keiko signed for this purpose and it has not expired. */
export function verifyGrant(
  secret: Buffer,
  purpose: GrantPurpose,
  value: string | undefined,
  nowMs: number,
): PreviewGrant | undefined {
  if (!value || value.length > 1000) return undefined;
  const dot = value.indexOf('.');
  if (dot <= 0) return undefined;
  const payload = value.slice(0, dot);
  const expected = Buffer.from(mac(secret, purpose, payload));
  const given = Buffer.from(value.slice(dot + 1));
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
  const grant = PreviewGrantSchema.safeParse(parsed);
  if (!grant.success || grant.data.e <= nowMs) return undefined;
  return grant.data;
}
