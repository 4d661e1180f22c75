import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  learnerCookieValue,
  readCookie,
  sessionToken,
  verifyLearnerCookie,
  verifySessionToken,
} from './identity';

const secret = randomBytes(32);

describe('identity', () => {
  it('accepts a learner cookie it signed and rejects a forged or foreign one', () => {
    const value = learnerCookieValue(secret, 'l_abc');
    expect(verifyLearnerCookie(secret, value)).toBe('l_abc');
    expect(verifyLearnerCookie(secret, value.replace('l_abc', 'l_xyz'))).toBeUndefined();
    expect(verifyLearnerCookie(randomBytes(32), value)).toBeUndefined();
    expect(verifyLearnerCookie(secret, 'l_abc')).toBeUndefined();
  });

  it('a session token opens only its own session', () => {
    const token = sessionToken(secret, 's_one');
    expect(verifySessionToken(secret, 's_one', token)).toBe(true);
    expect(verifySessionToken(secret, 's_two', token)).toBe(false);
    expect(verifySessionToken(secret, 's_one', undefined)).toBe(false);
  });

  it('reads a cookie among others', () => {
    expect(readCookie('a=1; keiko_learner=l_x.sig; b=2', 'keiko_learner')).toBe('l_x.sig');
    expect(readCookie(undefined, 'keiko_learner')).toBeUndefined();
  });
});
