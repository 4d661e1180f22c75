import { describe, expect, it } from 'vitest';
import type { TlsProbeFacts, TlsVersion } from '../parsers';
import { MAX_SUITES_PER_PROTOCOL, nextOffer, probeArgs, ratingInputs, scanProtocol } from './plan';

const offered = (version: TlsVersion, ciphers: string) => ({
  host: '127.0.0.1',
  port: 8443,
  servername: 'lab.test',
  alpn: null,
  minVersion: version,
  maxVersion: version,
  ciphers,
  caFile: null,
});

function connected(version: TlsVersion, ciphers: string, name: string): TlsProbeFacts {
  return {
    ok: true,
    stage: 'connected',
    error: null,
    protocol: version,
    cipher: { name, standardName: name, version },
    alpn: null,
    authorized: true,
    authorizationError: null,
    certificate: {
      subject: 'CN=lab.test',
      issuer: 'CN=Keiko Lab CA',
      subjectAltNames: ['DNS:lab.test'],
      validFrom: '2026-01-01T00:00:00.000Z',
      validTo: '2027-01-01T00:00:00.000Z',
      bits: 2048,
      keyType: 'rsa',
      fingerprint256: Array.from({ length: 32 }, () => 'AB').join(':'),
      selfSigned: false,
    },
    ephemeralKey: { type: 'ECDH', name: 'X25519', size: 253 },
    offered: offered(version, ciphers),
  };
}

function failed(version: TlsVersion, ciphers: string, stage: 'refused-by-server' | 'timeout'): TlsProbeFacts {
  return {
    ok: false,
    stage,
    error: { code: 'ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE', message: 'SSL alert number 40' },
    protocol: null,
    cipher: null,
    alpn: null,
    authorized: null,
    authorizationError: null,
    certificate: null,
    ephemeralKey: null,
    offered: offered(version, ciphers),
  };
}

/** A server that accepts `names` (in its own order of preference) and refuses anything else. */
function server(names: string[]) {
  const offers: string[] = [];
  const run = async (version: TlsVersion, ciphers: string) => {
    offers.push(ciphers);
    const excluded = ciphers
      .split(':')
      .filter((c) => c.startsWith('!'))
      .map((c) => c.slice(1));
    const listed = ciphers.split(':');
    const pick = names.find((name) =>
      version === 'TLSv1.3' ? listed.includes(name) : !name.startsWith('TLS_') && !excluded.includes(name),
    );
    return pick ? connected(version, ciphers, pick) : failed(version, ciphers, 'refused-by-server');
  };
  return { run, offers };
}

describe('nextOffer', () => {
  it('offers every suite up to TLS 1.2 at security level 0, minus those already accepted', () => {
    expect(nextOffer('TLSv1.2', [])).toBe('ALL:COMPLEMENTOFALL:!PSK:!SRP:@SECLEVEL=0');
    expect(nextOffer('TLSv1', ['AES128-SHA'])).toBe('ALL:COMPLEMENTOFALL:!PSK:!SRP:!AES128-SHA:@SECLEVEL=0');
  });

  it('lists the TLS 1.3 suites left, and nothing once all five were accepted', () => {
    expect(nextOffer('TLSv1.3', ['TLS_AES_256_GCM_SHA384'])).toBe(
      'TLS_CHACHA20_POLY1305_SHA256:TLS_AES_128_GCM_SHA256:TLS_AES_128_CCM_SHA256:TLS_AES_128_CCM_8_SHA256',
    );
    expect(
      nextOffer('TLSv1.3', [
        'TLS_AES_256_GCM_SHA384',
        'TLS_CHACHA20_POLY1305_SHA256',
        'TLS_AES_128_GCM_SHA256',
        'TLS_AES_128_CCM_SHA256',
        'TLS_AES_128_CCM_8_SHA256',
      ]),
    ).toBeNull();
  });
});

describe('probeArgs', () => {
  it('offers one version alone, with the CA when there is one', () => {
    expect(
      probeArgs(
        {
          host: '127.0.0.1',
          port: 8443,
          servername: 'lab.test',
          caFile: '/tmp/ca.pem',
          handshakeTimeoutMs: 3000,
        },
        'TLSv1.1',
        'X',
      ),
    ).toEqual([
      '--host',
      '127.0.0.1',
      '--port',
      '8443',
      '--servername',
      'lab.test',
      '--ca-file',
      '/tmp/ca.pem',
      '--timeout-ms',
      '3000',
      '--min-version',
      'TLSv1.1',
      '--max-version',
      'TLSv1.1',
      '--ciphers',
      'X',
    ]);
  });
});

describe('scanProtocol', () => {
  it('finds every accepted suite with one handshake per suite plus the final refusal', async () => {
    const fake = server(['ECDHE-RSA-AES256-GCM-SHA384', 'ECDHE-RSA-AES128-GCM-SHA256', 'AES128-SHA']);
    const scan = await scanProtocol('TLSv1.2', fake.run);
    expect(scan.support.verdict).toBe('accepted');
    expect(scan.suites.map((suite) => suite.name)).toEqual([
      'ECDHE-RSA-AES256-GCM-SHA384',
      'ECDHE-RSA-AES128-GCM-SHA256',
      'AES128-SHA',
    ]);
    expect(scan.handshakes).toBe(4);
    expect(scan.incomplete).toBeNull();
  });

  it('stops after one handshake when the server refuses the version', async () => {
    const scan = await scanProtocol('TLSv1', server([]).run);
    expect(scan.support.verdict).toBe('refused');
    expect(scan.handshakes).toBe(1);
    expect(scan.suites).toEqual([]);
  });

  it('enumerates TLS 1.3 by listing the suites left, and stops when none are', async () => {
    const all = [
      'TLS_AES_256_GCM_SHA384',
      'TLS_CHACHA20_POLY1305_SHA256',
      'TLS_AES_128_GCM_SHA256',
      'TLS_AES_128_CCM_SHA256',
      'TLS_AES_128_CCM_8_SHA256',
    ];
    const scan = await scanProtocol('TLSv1.3', server(all).run);
    expect(scan.suites).toHaveLength(5);
    expect(scan.handshakes).toBe(5);
  });

  it('says the list is incomplete when the server stops answering midway', async () => {
    let calls = 0;
    const scan = await scanProtocol('TLSv1.2', async (version, ciphers) =>
      (calls += 1) === 1 ? connected(version, ciphers, 'AES128-SHA') : failed(version, ciphers, 'timeout'),
    );
    expect(scan.incomplete).toBe('timeout after 1 suites');
  });

  it('is bounded even for a server that accepts everything', async () => {
    let n = 0;
    const scan = await scanProtocol('TLSv1.2', async (version, ciphers) =>
      connected(version, ciphers, `SUITE-${(n += 1)}`),
    );
    expect(scan.suites).toHaveLength(MAX_SUITES_PER_PROTOCOL);
    expect(scan.incomplete).toMatch(/stopped after/);
  });
});

describe('ratingInputs', () => {
  it('takes protocols and suites from the accepted scans and trust from the newest one', async () => {
    const scans = await Promise.all(
      (['TLSv1.3', 'TLSv1.2', 'TLSv1'] as const).map((version) =>
        scanProtocol(
          version,
          server(version === 'TLSv1' ? [] : ['TLS_AES_128_GCM_SHA256', 'ECDHE-RSA-AES128-GCM-SHA256']).run,
        ),
      ),
    );
    const inputs = ratingInputs(scans, { state: 'missing', status: 'HTTP/1.1 200 OK' });
    expect(inputs?.protocols).toEqual(['TLSv1.2', 'TLSv1.3']);
    expect(inputs?.suites.map((s) => `${s.protocol} ${s.name}`)).toEqual([
      'TLSv1.2 ECDHE-RSA-AES128-GCM-SHA256',
      'TLSv1.3 TLS_AES_128_GCM_SHA256',
    ]);
    expect(inputs?.certificateKey).toEqual({ type: 'rsa', bits: 2048 });
    expect(inputs?.trustError).toBeNull();
  });

  it('is null when no version was accepted', async () => {
    const scan = await scanProtocol('TLSv1.2', server([]).run);
    expect(ratingInputs([scan], { state: 'unknown', reason: 'x' })).toBeNull();
  });
});
