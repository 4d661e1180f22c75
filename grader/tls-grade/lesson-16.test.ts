// The grades of lesson 16's four servers (labs/tls-16-grade), from the suites the probe measured on
// them, checked against SSL Labs' rating guide (2009r, with the 2020 TLS 1.0/1.1 cap) by hand:
// protocol 30 %, key exchange 30 %, cipher strength 40 %, then caps, then the A-/A+ rules.
import { describe, expect, it } from 'vitest';
import type { HstsFact } from './hsts';
import { rate, type RatingInputs } from './rating';
import { ratingReport } from './report';
import { TlsGradeReportSchema } from '@/contract';
import type { AcceptedSuite, Protocol } from './scores';

const x25519 = { type: 'ECDH', name: 'X25519', size: 253 };
const suite = (protocol: Protocol, name: string, fs = true): AcceptedSuite => ({
  protocol,
  name,
  ephemeralKey: fs ? x25519 : null,
});
const weakSuites = (protocol: Protocol): AcceptedSuite[] => [
  suite(protocol, 'ECDHE-RSA-AES128-SHA'),
  suite(protocol, 'AES256-SHA', false),
  suite(protocol, 'AES128-SHA', false),
];
const modernTls12 = [
  'ECDHE-RSA-AES128-GCM-SHA256',
  'ECDHE-RSA-AES256-GCM-SHA384',
  'ECDHE-RSA-CHACHA20-POLY1305',
].map((name) => suite('TLSv1.2', name));
const tls13 = ['TLS_AES_256_GCM_SHA384', 'TLS_CHACHA20_POLY1305_SHA256', 'TLS_AES_128_GCM_SHA256'].map(
  (name) => suite('TLSv1.3', name),
);
const noHsts: HstsFact = { state: 'missing', status: 'HTTP/1.1 200 OK' };
const twoYears: HstsFact = { state: 'present', maxAge: 63_072_000, header: 'max-age=63072000' };

const inputs = (protocols: Protocol[], suites: AcceptedSuite[], hsts: HstsFact): RatingInputs => ({
  protocols,
  suites,
  certificateKey: { type: 'rsa', bits: 2048 },
  trustError: null,
  hsts,
});

describe("lesson 16's servers, graded as SSL Labs' guide says", () => {
  it('the starting server: 91 points, an A by score, capped at B by TLS 1.0 and TLS 1.1', () => {
    const rating = rate(
      inputs(
        ['TLSv1', 'TLSv1.1', 'TLSv1.2'],
        [
          ...weakSuites('TLSv1'),
          ...weakSuites('TLSv1.1'),
          suite('TLSv1.2', 'ECDHE-RSA-AES256-GCM-SHA384'),
          ...weakSuites('TLSv1.2'),
        ],
        noHsts,
      ),
    );
    // protocol (100 + 90) / 2 = 95 -> 28; key exchange RSA 2048 = 90 -> 27; cipher (80 + 100) / 2 = 90 -> 36.
    expect(rating.score).toBe(91);
    expect(rating.scoreGrade).toBe('A');
    expect(rating.grade).toBe('B');
    expect(rating.caps.map((cap) => cap.reason)).toEqual(['TLS 1.0 is offered', 'TLS 1.1 is offered']);
  });

  it('TLS 1.2 with forward-secret AEAD suites only: 93, A-, because TLS 1.3 is missing', () => {
    const rating = rate(inputs(['TLSv1.2'], modernTls12, noHsts));
    expect(rating.score).toBe(93);
    expect(rating.caps).toEqual([]);
    expect(rating.warnings).toEqual(['TLS 1.3 is not offered']);
    expect(rating.grade).toBe('A-');
  });

  it('with TLS 1.3 as well: A, and not A+ without HSTS', () => {
    const rating = rate(inputs(['TLSv1.2', 'TLSv1.3'], [...modernTls12, ...tls13], noHsts));
    expect(rating.grade).toBe('A');
    expect(rating.aPlusShortfall).toBe('no Strict-Transport-Security header is sent');
  });

  it('with HSTS for two years: A+, and the report the page draws says so', () => {
    const rating = rate(inputs(['TLSv1.2', 'TLSv1.3'], [...modernTls12, ...tls13], twoYears));
    expect(rating.grade).toBe('A+');
    const report = ratingReport(rating, [], twoYears, 'A+');
    expect(TlsGradeReportSchema.parse(report)).toEqual(report);
    expect(report).toMatchObject({
      grade: 'A+',
      score: 93,
      categories: { protocol: { score: 100, weighted: 30 }, keyExchange: { score: 90, weighted: 27 } },
      caps: [],
      hsts: 'max-age=63072000',
    });
  });
});
