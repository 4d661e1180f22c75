import { describe, expect, it } from 'vitest';
import { fixture, fixtureNames, fixtureNote } from './fixture-files';
import { NotTlsProbeJsonError, parseTlsProbe, type TlsProbeFacts } from './tls-probe';

const probe = (name: string) => parseTlsProbe(fixture('tls', name));

/** The facts of a handshake that finished; fails the test when it did not. */
function connected(name: string): Extract<TlsProbeFacts, { ok: true }> {
  const facts = probe(name);
  if (!facts.ok)
    throw new Error(`${name}: expected a handshake, got ${facts.stage} (${facts.error.message})`);
  return facts;
}

describe('parseTlsProbe on the probe run in keiko/probe (Node 18, OpenSSL 3.0)', () => {
  it('reads TLS 1.3 with h2 by ALPN and a certificate trusted through --ca-file', () => {
    const facts = connected('tls13-modern-alpn-h2');
    expect(facts).toMatchObject({
      stage: 'connected',
      protocol: 'TLSv1.3',
      cipher: { name: 'TLS_AES_256_GCM_SHA384', standardName: 'TLS_AES_256_GCM_SHA384', version: 'TLSv1.3' },
      alpn: 'h2',
      authorized: true,
      authorizationError: null,
      ephemeralKey: { type: 'ECDH', name: 'X25519', size: 253 },
    });
    expect(facts.certificate).toMatchObject({
      subject: 'CN=lab.test',
      issuer: 'CN=Keiko Lab CA',
      subjectAltNames: ['DNS:lab.test', 'DNS:www.lab.test'],
      keyType: 'ec',
      bits: 256,
      selfSigned: false,
    });
    expect(facts.certificate?.validTo).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(facts.offered).toMatchObject({
      servername: 'lab.test',
      alpn: ['h2', 'http/1.1'],
      minVersion: 'TLSv1.2',
    });
  });

  it('reads a TLS 1.2-only server', () => {
    expect(connected('tls12-only-server')).toMatchObject({
      protocol: 'TLSv1.2',
      cipher: { standardName: 'TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256', version: 'TLSv1.2' },
      alpn: 'http/1.1',
    });
  });

  it('reads no ALPN from cheroot although h2 and http/1.1 were offered, and its self-signed certificate', () => {
    const facts = connected('self-signed-cheroot-no-alpn');
    expect(facts.offered.alpn).toEqual(['h2', 'http/1.1']);
    expect(facts).toMatchObject({
      alpn: null,
      authorized: false,
      authorizationError: 'DEPTH_ZERO_SELF_SIGNED_CERT',
    });
    expect(facts.certificate).toMatchObject({
      subject: 'CN=lab.test, O=Keiko Lab',
      subjectAltNames: ['DNS:lab.test', 'IP Address:127.0.0.1'],
      keyType: 'rsa',
      bits: 2048,
      selfSigned: true,
    });
  });

  it("reads h2 chosen by Node's http2 server", () => {
    expect(connected('h2-node-alpn')).toMatchObject({ alpn: 'h2', authorized: true });
  });

  it('reads a trusted chain under the wrong name, and a chain whose CA was not given', () => {
    expect(connected('hostname-mismatch')).toMatchObject({
      authorized: false,
      authorizationError: 'ERR_TLS_CERT_ALTNAME_INVALID',
    });
    expect(connected('untrusted-ca')).toMatchObject({
      authorized: false,
      authorizationError: 'SELF_SIGNED_CERT_IN_CHAIN',
    });
  });

  it('reads a TLS 1.0 handshake the probe really offered (it adds @SECLEVEL=0 itself)', () => {
    const facts = connected('tls10-offered-server-accepts');
    expect(facts.offered).toMatchObject({
      minVersion: 'TLSv1',
      maxVersion: 'TLSv1',
      ciphers: 'DEFAULT:@SECLEVEL=0',
    });
    expect(facts).toMatchObject({
      protocol: 'TLSv1',
      cipher: { name: 'ECDHE-RSA-AES256-SHA', version: 'TLSv1.0' },
    });
  });

  it('reads a TLS 1.0-only server: refused for the default offer, connected when TLS 1.0 is offered', () => {
    expect(probe('tls10-only-server-default-offer')).toMatchObject({
      stage: 'refused-by-server',
      offered: { minVersion: 'TLSv1.2', maxVersion: 'TLSv1.3', ciphers: null },
    });
    expect(connected('tls10-only-server-offer-tls10').protocol).toBe('TLSv1');
  });

  it("reads TLS 1.0 under the grader's own arguments (DEFAULT@SECLEVEL=0, kept as given) and TLS 1.1", () => {
    expect(connected('tls10-check-args-server-accepts')).toMatchObject({
      protocol: 'TLSv1',
      offered: { ciphers: 'DEFAULT@SECLEVEL=0' },
    });
    expect(connected('tls11-offered-server-accepts').protocol).toBe('TLSv1.1');
  });

  it("reads the server's refusal of TLS 1.0 as refused-by-server, with the alert", () => {
    expect(probe('tls10-offered-server-refuses')).toMatchObject({
      ok: false,
      stage: 'refused-by-server',
      error: { code: 'ERR_SSL_TLSV1_ALERT_PROTOCOL_VERSION' },
      protocol: null,
      certificate: null,
    });
    const atDefaultLevel = probe('tls10-offered-default-server-refuses');
    expect(atDefaultLevel).toMatchObject({
      stage: 'refused-by-server',
      error: { code: 'ERR_SSL_TLSV1_ALERT_INTERNAL_ERROR' },
    });
    expect(atDefaultLevel.error?.message).toMatch(/SSL alert number 80$/);
  });

  it('reads our own client giving up as refused-by-client, never as the server refusing', () => {
    // The server of this fixture accepts TLS 1.0 (see tls10-offered-server-accepts).
    expect(probe('tls10-client-seclevel-refuses')).toMatchObject({
      stage: 'refused-by-client',
      error: { code: 'ERR_SSL_LEGACY_SIGALG_DISALLOWED_OR_UNSUPPORTED' },
      offered: { ciphers: 'DEFAULT:@SECLEVEL=2' },
    });
    expect(probe('tls10-client-no-ciphers')).toMatchObject({
      stage: 'refused-by-client',
      error: { code: 'ERR_SSL_NO_CIPHERS_AVAILABLE' },
    });
    expect(probe('plain-http-port')).toMatchObject({
      stage: 'refused-by-client',
      error: { code: 'ERR_SSL_WRONG_VERSION_NUMBER' },
    });
  });

  it('reads a refused TCP connection and a silent server', () => {
    expect(probe('connection-refused')).toMatchObject({
      stage: 'tcp-error',
      error: { code: 'ECONNREFUSED' },
    });
    expect(probe('timeout')).toMatchObject({
      stage: 'timeout',
      error: { code: 'ETIMEDOUT', message: 'no TLS handshake within 1000 ms' },
    });
  });
});

describe('parseTlsProbe refuses what is not the probe JSON, saying why', () => {
  const refusal = (text: string): NotTlsProbeJsonError => {
    try {
      parseTlsProbe(text);
    } catch (error) {
      if (error instanceof NotTlsProbeJsonError) return error;
      throw error;
    }
    throw new Error('parseTlsProbe accepted the text');
  };

  it('refuses the empty stdout of a usage error', () => {
    expect(fixtureNote('tls', 'not-probe-output-usage-error')).toContain('Exit code: 2');
    expect(refusal(fixture('tls', 'not-probe-output-usage-error')).message).toMatch(/it is empty/);
  });

  it("refuses curl's JSON", () => {
    expect(refusal(fixture('curl', 'http11-bottle')).message).toMatch(/without the probe's facts/);
  });

  it('refuses facts that contradict each other', () => {
    const forged = fixture('tls', 'tls10-offered-server-refuses').replace('"ok":false', '"ok":true');
    expect(refusal(forged).message).toMatch(/stage/);
  });
});

describe('TLS fixtures', () => {
  it.each(fixtureNames('tls'))('%s has its command beside it', (name) => {
    expect(fixtureNote('tls', name)).toMatch(
      /```sh\n\s+docker run .*keiko\/probe:latest node --input-type=module - .*< grader\/probes\/tls-probe\.mjs/,
    );
  });
});
