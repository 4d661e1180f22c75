import { describe, expect, it } from 'vitest';
import { parsePreviewHost, previewDomain, previewOrigin } from './preview-names';

const LOCAL = previewDomain('http://*.localhost:3000');

describe('preview origins', () => {
  it('give each session and port its own origin, and read it back from Host', () => {
    const origin = previewOrigin(LOCAL, { sessionId: 's_AbCd1234xYz0Qq9K', port: 8080 });
    expect(origin).toMatch(/^http:\/\/s[0-9a-f]+-8080\.localhost:3000$/);
    expect(parsePreviewHost(LOCAL, new URL(origin).host)).toEqual({
      sessionId: 's_AbCd1234xYz0Qq9K',
      port: 8080,
    });
    expect(previewOrigin(LOCAL, { sessionId: 's_AbCd1234xYz0Qq9K', port: 8081 })).not.toBe(origin);
    expect(previewOrigin(LOCAL, { sessionId: 's_abcd1234xyz0qq9k', port: 8080 })).not.toBe(origin);
  });

  it("never take the platform's own names, another port of the platform or another domain for a preview", () => {
    for (const host of [
      'localhost:3000',
      '127.0.0.1:3000',
      's6162-8080.localhost:3001',
      's6162-8080.localhost',
      's6162-8080.evil.example:3000',
      'x.s6162-8080.localhost:3000',
      's6162-0.localhost:3000',
      's6162-65536.localhost:3000',
      undefined,
    ]) {
      expect(parsePreviewHost(LOCAL, host), String(host)).toBeUndefined();
    }
  });

  it('refuses a host whose hex is not a session id (no way to name anything but a session)', () => {
    const slash = Buffer.from('../x').toString('hex');
    expect(parsePreviewHost(LOCAL, `s${slash}-8080.localhost:3000`)).toBeUndefined();
  });

  it('use a configured wildcard domain on a shared install, on its default port', () => {
    const shared = previewDomain('https://*.preview.keiko.example');
    const origin = previewOrigin(shared, { sessionId: 's_abc', port: 443 });
    expect(origin).toBe(`https://s${Buffer.from('abc').toString('hex')}-443.preview.keiko.example`);
    expect(parsePreviewHost(shared, `${new URL(origin).hostname}:443`)).toEqual({
      sessionId: 's_abc',
      port: 443,
    });
  });
});
