import { describe, expect, it } from 'vitest';
import { signGrant, verifyGrant } from './preview-token';

const SECRET = Buffer.alloc(32, 7);
const GRANT = { s: 's_abc', p: 8080, l: 'l_owner', e: 10_000 };

describe('preview grants', () => {
  it('verify while fresh, for their own purpose only', () => {
    const link = signGrant(SECRET, 'preview-link', GRANT);
    expect(verifyGrant(SECRET, 'preview-link', link, 9_999)).toEqual(GRANT);
    expect(verifyGrant(SECRET, 'preview-cookie', link, 9_999)).toBeUndefined();
  });

  it('expire', () => {
    expect(
      verifyGrant(SECRET, 'preview-link', signGrant(SECRET, 'preview-link', GRANT), 10_000),
    ).toBeUndefined();
  });

  it('cannot be altered (another session, port, learner or expiry) or made with another secret', () => {
    const link = signGrant(SECRET, 'preview-link', GRANT);
    const [, mac] = link.split('.');
    for (const changed of [{ s: 's_other' }, { p: 8081 }, { l: 'l_attacker' }, { e: 99_999 }]) {
      const payload = Buffer.from(JSON.stringify({ ...GRANT, ...changed })).toString('base64url');
      expect(verifyGrant(SECRET, 'preview-link', `${payload}.${mac}`, 0)).toBeUndefined();
    }
    expect(verifyGrant(Buffer.alloc(32, 8), 'preview-link', link, 0)).toBeUndefined();
    for (const junk of ['', '.', 'x.y', 'a'.repeat(5000), `${link}x`]) {
      expect(verifyGrant(SECRET, 'preview-link', junk, 0)).toBeUndefined();
    }
  });
});
