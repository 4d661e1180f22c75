import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  learnerCookieName,
  learnerCookieValue,
  learnerFromCookies,
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

describe('learner cookies that cannot throw', () => {
  it('a value that is not percent-encoding is read as it is, and then fails verification', () => {
    expect(() => readCookie('keiko_learner=%', 'keiko_learner')).not.toThrow();
    expect(readCookie('keiko_learner=%', 'keiko_learner')).toBe('%');
    expect(readCookie('keiko_learner=%zz%E0%A4%A', 'keiko_learner')).toBe('%zz%E0%A4%A');
    expect(verifyLearnerCookie(secret, readCookie('keiko_learner=%', 'keiko_learner'))).toBeUndefined();
  });

  it('the __Host- cookie is read first, and the plain name still opens an older identity', () => {
    const jar = (cookies: Record<string, string>) => (name: string) => cookies[name];
    const old = learnerCookieValue(secret, 'l_old');
    const fresh = learnerCookieValue(secret, 'l_new');
    expect(learnerFromCookies(secret, jar({ keiko_learner: old }))).toBe('l_old');
    expect(learnerFromCookies(secret, jar({ keiko_learner: old, '__Host-keiko_learner': fresh }))).toBe(
      'l_new',
    );
    // A forged __Host- cookie does not hide a valid older one.
    expect(learnerFromCookies(secret, jar({ keiko_learner: old, '__Host-keiko_learner': 'l_x.bad' }))).toBe(
      'l_old',
    );
    expect(learnerCookieName('https://keiko.example')).toBe('__Host-keiko_learner');
    expect(learnerCookieName('http://localhost:3000')).toBe('keiko_learner');
  });
});
