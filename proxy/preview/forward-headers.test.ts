import { describe, expect, it } from 'vitest';
import { backwardHeaders, forwardHeaders, type HeaderRewrite } from './forward-headers';

const REWRITE: HeaderRewrite = {
  port: 8080,
  previewHost: 's6162-8080.localhost:3000',
  previewProto: 'http',
  strippedCookies: ['keiko_preview', 'keiko_learner', '__Host-keiko_learner'],
  isPlatformAuthorization: (value) => value === 'Bearer the-session-token',
  upgrade: false,
};

describe('forwardHeaders', () => {
  it("strips the platform's cookies and keeps the learner's own", () => {
    const out = forwardHeaders(
      ['Cookie', 'keiko_preview=grant; theme=dark; keiko_learner=l_1.sig', 'Cookie', 'account=42'],
      REWRITE,
    );
    expect(out.filter(([name]) => name === 'Cookie')).toEqual([
      ['Cookie', 'theme=dark'],
      ['Cookie', 'account=42'],
    ]);
  });

  it('drops a Cookie header that held only platform cookies', () => {
    const out = forwardHeaders(['Cookie', 'keiko_preview=grant'], REWRITE);
    expect(out.some(([name]) => name === 'Cookie')).toBe(false);
  });

  it("strips the session's bearer token and keeps the learner's own Authorization", () => {
    expect(
      forwardHeaders(['Authorization', 'Bearer the-session-token'], REWRITE).map(([n]) => n),
    ).not.toContain('Authorization');
    expect(forwardHeaders(['Authorization', 'Basic YTpi'], REWRITE)).toContainEqual([
      'Authorization',
      'Basic YTpi',
    ]);
  });

  it("sends Host as the learner's own curl does, and the preview origin as X-Forwarded-*", () => {
    const out = forwardHeaders(
      ['Host', 's6162-8080.localhost:3000', 'X-Forwarded-Host', 'evil.example'],
      REWRITE,
    );
    expect(out).toEqual([
      ['Host', 'localhost:8080'],
      ['X-Forwarded-Host', 's6162-8080.localhost:3000'],
      ['X-Forwarded-Proto', 'http'],
    ]);
  });

  it("drops the platform's internal headers and hop-by-hop ones, but keeps an upgrade's", () => {
    const raw = ['X-Keiko-Client-Address', '1.2.3.4', 'Connection', 'Upgrade', 'Upgrade', 'websocket'];
    expect(forwardHeaders(raw, REWRITE).map(([n]) => n)).toEqual([
      'Host',
      'X-Forwarded-Host',
      'X-Forwarded-Proto',
    ]);
    expect(forwardHeaders(raw, { ...REWRITE, upgrade: true }).map(([n]) => n)).toEqual([
      'Host',
      'Connection',
      'Upgrade',
      'X-Forwarded-Host',
      'X-Forwarded-Proto',
    ]);
  });
});

describe('backwardHeaders', () => {
  it('passes the answer back without hop-by-hop headers', () => {
    expect(
      backwardHeaders(['Content-Type', 'text/plain', 'Connection', 'close', 'Set-Cookie', 'a=1']),
    ).toEqual(['Content-Type', 'text/plain', 'Set-Cookie', 'a=1']);
  });
});
