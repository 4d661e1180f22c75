import { describe, expect, it } from 'vitest';
import { crossSiteRefusal, isOwnHost, isOwnOrigin, requestOrigin, serverNames } from './server-names';

const local = serverNames({ publicUrl: 'http://localhost:3000', bindHost: '127.0.0.1', port: 3000 });
const behindProxy = serverNames({ publicUrl: 'https://keiko.example', bindHost: '127.0.0.1', port: 3000 });
const exposed = serverNames({ publicUrl: 'https://keiko.example', bindHost: '10.0.0.5', port: 3000 });

describe('the names this server answers to', () => {
  it('on loopback: the public URL and localhost, 127.0.0.1 and [::1] on its port', () => {
    for (const host of ['localhost:3000', '127.0.0.1:3000', '[::1]:3000', 'LOCALHOST:3000'])
      expect(isOwnHost(local, host), host).toBe(true);
    for (const origin of ['http://localhost:3000', 'http://127.0.0.1:3000', 'http://[::1]:3000'])
      expect(isOwnOrigin(local, origin), origin).toBe(true);
  });

  it('refuses other names: DNS rebinding, other ports, malformed and missing Hosts', () => {
    for (const host of [
      'attacker.example',
      'attacker.example:3000',
      '127.0.0.1:3001',
      'localhost',
      'localhost:3000@evil',
      '',
      undefined,
    ])
      expect(isOwnHost(local, host), String(host)).toBe(false);
    for (const origin of ['http://evil.example', 'null', 'https://localhost:3000', 'http://localhost:3001'])
      expect(isOwnOrigin(local, origin), origin).toBe(false);
  });

  it('behind a proxy: the public name with or without its default port', () => {
    expect(isOwnHost(behindProxy, 'keiko.example')).toBe(true);
    expect(isOwnHost(behindProxy, 'keiko.example:443')).toBe(true);
    expect(isOwnOrigin(behindProxy, 'https://keiko.example')).toBe(true);
    expect(isOwnOrigin(behindProxy, 'http://keiko.example')).toBe(false);
  });

  it('bound to a non-loopback address, loopback names are not its names', () => {
    expect(isOwnHost(exposed, 'localhost:3000')).toBe(false);
    expect(isOwnOrigin(exposed, 'http://127.0.0.1:3000')).toBe(false);
  });
});

describe('the cross-site rule for requests that change something', () => {
  it('refuses Sec-Fetch-Site: cross-site and foreign Origins; lets same-origin and non-browsers through', () => {
    expect(crossSiteRefusal(local, { secFetchSite: 'cross-site' })).toMatch(/another site/);
    expect(crossSiteRefusal(local, { origin: 'http://evil.example' })).toMatch(/another origin/);
    expect(crossSiteRefusal(local, { origin: 'null' })).toMatch(/another origin/);
    expect(crossSiteRefusal(local, { origin: 'http://127.0.0.1:3000', secFetchSite: 'same-origin' })).toBe(
      undefined,
    );
    expect(crossSiteRefusal(local, {})).toBeUndefined();
  });
});

describe('the origin a page used', () => {
  it('is the loopback name it came to, or the public origin', () => {
    expect(requestOrigin(local, '127.0.0.1:3000')).toBe('http://127.0.0.1:3000');
    expect(requestOrigin(local, 'localhost:3000')).toBe('http://localhost:3000');
    expect(requestOrigin(behindProxy, 'keiko.example')).toBe('https://keiko.example');
    expect(requestOrigin(behindProxy, 'evil.example')).toBe('https://keiko.example');
  });
});
