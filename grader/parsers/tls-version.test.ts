import { describe, expect, it } from 'vitest';
import { fixture } from './fixture-files';
import { parseTlsProbe } from './tls-probe';
import { versionSupport } from './tls-version';

const support = (name: string, version: Parameters<typeof versionSupport>[1]) =>
  versionSupport(parseTlsProbe(fixture('tls', name)), version);

describe('versionSupport', () => {
  it("is refused only on the server's own refusal of a version offered alone", () => {
    expect(support('tls10-offered-server-refuses', 'TLSv1')).toEqual({
      verdict: 'refused',
      reason: 'the server refused TLSv1 (ERR_SSL_TLSV1_ALERT_PROTOCOL_VERSION)',
    });
    expect(support('tls10-offered-default-server-refuses', 'TLSv1').verdict).toBe('refused');
  });

  it('is accepted when the offered version was negotiated', () => {
    expect(support('tls10-offered-server-accepts', 'TLSv1').verdict).toBe('accepted');
    expect(support('tls10-check-args-server-accepts', 'TLSv1').verdict).toBe('accepted');
    expect(support('tls11-offered-server-accepts', 'TLSv1.1').verdict).toBe('accepted');
  });

  it('is inconclusive when our client could not offer the version, though the server accepts it', () => {
    expect(support('tls10-client-seclevel-refuses', 'TLSv1')).toMatchObject({
      verdict: 'inconclusive',
      reason: expect.stringMatching(/our own client/),
    });
    expect(support('tls10-client-no-ciphers', 'TLSv1').verdict).toBe('inconclusive');
  });

  it('is inconclusive when the probe offered more than the version, or met no TLS server', () => {
    expect(support('tls13-modern-alpn-h2', 'TLSv1.3')).toMatchObject({
      verdict: 'inconclusive',
      reason: 'the probe offered TLSv1.2 to TLSv1.3, not TLSv1.3 alone',
    });
    expect(support('tls11-offered-server-accepts', 'TLSv1').verdict).toBe('inconclusive');
    expect(support('connection-refused', 'TLSv1.2').verdict).toBe('inconclusive');
    expect(support('timeout', 'TLSv1.2').verdict).toBe('inconclusive');
  });
});
