import { describe, expect, it } from 'vitest';
import type { HstsFact } from './hsts';
import { meetsGrade, rate, type RatingInputs } from './rating';
import type { AcceptedSuite, Protocol } from './scores';

const X25519 = { type: 'ECDH', name: 'X25519', size: 253 };
const suite = (protocol: Protocol, name: string, ephemeralKey: AcceptedSuite['ephemeralKey'] = X25519) => ({
  protocol,
  name,
  ephemeralKey,
});
const TWO_YEARS: HstsFact = { state: 'present', maxAge: 63_072_000, header: 'max-age=63072000' };
const NO_HSTS: HstsFact = { state: 'missing', status: 'HTTP/1.1 200 OK' };

/** Mozilla's intermediate configuration on TLS 1.2 + 1.3, RSA-2048, HSTS two years. */
const intermediate: RatingInputs = {
  protocols: ['TLSv1.2', 'TLSv1.3'],
  suites: [
    suite('TLSv1.2', 'ECDHE-RSA-AES128-GCM-SHA256'),
    suite('TLSv1.2', 'ECDHE-RSA-AES256-GCM-SHA384'),
    suite('TLSv1.2', 'ECDHE-RSA-CHACHA20-POLY1305'),
    suite('TLSv1.3', 'TLS_AES_128_GCM_SHA256'),
    suite('TLSv1.3', 'TLS_AES_256_GCM_SHA384'),
    suite('TLSv1.3', 'TLS_CHACHA20_POLY1305_SHA256'),
  ],
  certificateKey: { type: 'rsa', bits: 2048 },
  trustError: null,
  hsts: TWO_YEARS,
};

/** The same server with `SSLProtocol all` + `DEFAULT:@SECLEVEL=0` and no HSTS (§9). */
const legacy: RatingInputs = {
  ...intermediate,
  protocols: ['TLSv1', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3'],
  suites: [
    ...intermediate.suites,
    ...(['TLSv1', 'TLSv1.1', 'TLSv1.2'] as const).flatMap((p) => [
      suite(p, 'ECDHE-RSA-AES256-SHA'),
      suite(p, 'AES128-SHA', null),
      suite(p, 'CAMELLIA256-SHA', null),
    ]),
  ],
  hsts: NO_HSTS,
};

describe("rate, on worked examples of the SSL Labs rating guide and Mozilla's configurations", () => {
  it('scores TLS 1.2+1.3, RSA-2048 and AES-128/256 as 30 + 27 + 36 = 93, and A+ with two years of HSTS', () => {
    const rating = rate(intermediate);
    expect(rating.categories.protocol.score).toBe(100);
    expect(rating.categories.keyExchange.score).toBe(90);
    expect(rating.categories.cipher.score).toBe(90);
    expect(rating.weighted).toEqual({ protocol: 30, keyExchange: 27, cipher: 36 });
    expect(rating.score).toBe(93);
    expect(rating.caps).toEqual([]);
    expect(rating.warnings).toEqual([]);
    expect(rating.grade).toBe('A+');
  });

  it('caps the same server at B once TLS 1.0 is offered, though its score of 91 is an A', () => {
    const rating = rate({ ...intermediate, protocols: ['TLSv1', ...intermediate.protocols] });
    expect(rating.categories.protocol.score).toBe(95);
    expect(rating.weighted.protocol).toBe(28);
    expect(rating.score).toBe(91);
    expect(rating.scoreGrade).toBe('A');
    expect(rating.grade).toBe('B');
    expect(rating.caps).toEqual([{ grade: 'B', reason: 'TLS 1.0 is offered' }]);
    expect(rating.mainReason).toBe('capped at B because TLS 1.0 is offered');
  });

  it('caps TLS 1.0/1.1 with weak CBC ciphers and no HSTS at B, naming both old protocols', () => {
    const rating = rate(legacy);
    expect(rating.score).toBe(91);
    expect(rating.grade).toBe('B');
    expect(rating.caps.map((cap) => cap.reason)).toEqual(['TLS 1.0 is offered', 'TLS 1.1 is offered']);
  });

  it('grades a self-signed certificate T, and says what the configuration would earn if trusted', () => {
    const rating = rate({ ...intermediate, trustError: 'DEPTH_ZERO_SELF_SIGNED_CERT' });
    expect(rating.grade).toBe('T');
    expect(rating.gradeIfTrusted).toBe('A+');
    expect(rating.mainReason).toBe('the certificate is self-signed (A+ if it were trusted)');
  });
});

describe('rate, A+ and its warnings', () => {
  it('keeps a server without HSTS at A, saying that is why', () => {
    const rating = rate({ ...intermediate, hsts: NO_HSTS });
    expect(rating.grade).toBe('A');
    expect(rating.warnings).toEqual([]);
    expect(rating.mainReason).toBe('not A+ because no Strict-Transport-Security header is sent');
  });

  it('lowers A to A- for a short HSTS max-age', () => {
    const rating = rate({
      ...intermediate,
      hsts: { state: 'present', maxAge: 86_400, header: 'max-age=86400' },
    });
    expect(rating.grade).toBe('A-');
    expect(rating.warnings).toEqual(['HSTS max-age is 86400 s, under 15552000 s (180 days)']);
  });

  it('lowers A to A- without TLS 1.3 (guide 2009r)', () => {
    const rating = rate({
      ...intermediate,
      protocols: ['TLSv1.2'],
      suites: intermediate.suites.filter((s) => s.protocol === 'TLSv1.2'),
    });
    expect(rating.score).toBe(93);
    expect(rating.grade).toBe('A-');
    expect(rating.mainReason).toBe('TLS 1.3 is not offered');
  });
});

describe('rate, the caps', () => {
  it('caps a 1024-bit RSA key at B as a weak key exchange', () => {
    const rating = rate({ ...intermediate, certificateKey: { type: 'rsa', bits: 1024 } });
    expect(rating.categories.keyExchange.score).toBe(80);
    expect(rating.grade).toBe('B');
    expect(rating.caps[0]?.reason).toMatch(/key exchange is weak/);
  });

  it('scores 0 and F when an anonymous suite is accepted', () => {
    const rating = rate({
      ...intermediate,
      suites: [...intermediate.suites, suite('TLSv1.2', 'AECDH-AES256-SHA')],
    });
    expect(rating.categories.keyExchange.score).toBe(0);
    expect(rating.score).toBe(0);
    expect(rating.grade).toBe('F');
  });

  it('caps a NULL cipher at F', () => {
    const rating = rate({
      ...intermediate,
      suites: [...intermediate.suites, suite('TLSv1.2', 'ECDHE-RSA-NULL-SHA')],
    });
    expect(rating.grade).toBe('F');
    expect(rating.caps).toContainEqual({
      grade: 'F',
      reason: 'ECDHE-RSA-NULL-SHA encrypts with 0 bits, under 112',
    });
  });

  it('caps 3DES offered with TLS 1.2 at C (SWEET32)', () => {
    const rating = rate({
      ...intermediate,
      suites: [...intermediate.suites, suite('TLSv1.2', 'DES-CBC3-SHA', null)],
    });
    expect(rating.grade).toBe('C');
  });

  it('caps a server without TLS 1.2 or 1.3 at C, below its TLS 1.0 cap of B', () => {
    const rating = rate({
      ...intermediate,
      protocols: ['TLSv1'],
      suites: [suite('TLSv1', 'ECDHE-RSA-AES256-SHA'), suite('TLSv1', 'ECDHE-RSA-AES128-SHA')],
    });
    expect(rating.grade).toBe('C');
    expect(rating.mainReason).toBe('capped at C because neither TLS 1.2 nor TLS 1.3 is offered');
  });

  it('caps a server without forward secrecy at B', () => {
    const rating = rate({
      ...intermediate,
      suites: [suite('TLSv1.2', 'AES128-GCM-SHA256', null), suite('TLSv1.2', 'AES256-GCM-SHA384', null)],
      protocols: ['TLSv1.2'],
    });
    expect(rating.caps).toEqual([{ grade: 'B', reason: 'no suite offers forward secrecy (ECDHE or DHE)' }]);
    expect(rating.grade).toBe('B');
  });

  it('scores a P-256 certificate and a 2048-bit DHE group like the RSA table says', () => {
    const rating = rate({
      ...intermediate,
      certificateKey: { type: 'ec', bits: 256 },
      suites: [
        suite('TLSv1.2', 'DHE-RSA-AES128-GCM-SHA256', { type: 'DH', size: 2048 }),
        ...intermediate.suites,
      ],
    });
    expect(rating.categories.keyExchange.score).toBe(90);
  });
});

describe('meetsGrade', () => {
  it('orders A+ above A above A- … above F above T', () => {
    expect(meetsGrade('A+', 'A')).toBe(true);
    expect(meetsGrade('A-', 'A')).toBe(false);
    expect(meetsGrade('B', 'B')).toBe(true);
    expect(meetsGrade('T', 'F')).toBe(false);
    expect(meetsGrade('F', 'T')).toBe(true);
  });
});
