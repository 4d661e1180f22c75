import { describe, expect, it } from 'vitest';
import type { ProtocolScan } from './plan';
import { rate } from './rating';
import { ratingEvidence, ratingMessage } from './report';

const suites = [
  { protocol: 'TLSv1' as const, name: 'ECDHE-RSA-AES256-SHA', ephemeralKey: null },
  { protocol: 'TLSv1.2' as const, name: 'ECDHE-RSA-AES128-GCM-SHA256', ephemeralKey: null },
  { protocol: 'TLSv1.3' as const, name: 'TLS_AES_256_GCM_SHA384', ephemeralKey: null },
];
const hsts = { state: 'missing', status: 'HTTP/1.1 200 OK' } as const;
const rating = rate({
  protocols: ['TLSv1', 'TLSv1.2', 'TLSv1.3'],
  suites,
  certificateKey: { type: 'rsa', bits: 2048 },
  trustError: null,
  hsts,
});
const scans: ProtocolScan[] = [
  {
    version: 'TLSv1.1',
    support: { verdict: 'refused', reason: 'the server refused TLSv1.1 (X)' },
    first: null,
    suites: [],
    handshakes: 1,
    incomplete: null,
  },
];

describe('ratingMessage', () => {
  it('gives the grade, the score and the binding cap in one sentence', () => {
    expect(ratingMessage('TLS grade', rating, 'A', false)).toBe(
      'TLS grade: grade B (score 91), capped at B because TLS 1.0 is offered; A or better was needed.',
    );
  });
});

describe('ratingEvidence', () => {
  it('puts the score table and every cap before the per-protocol findings', () => {
    const lines = ratingEvidence(rating, scans, hsts).split('\n');
    expect(lines.slice(0, 7)).toEqual([
      'grade B, score 91 (A by score)',
      'category         score weighted',
      'protocol (30%)      95       28  TLS 1.0, TLS 1.2, TLS 1.3',
      'key exch. (30%)     90       27  RSA 2048 bits',
      'cipher (40%)        90       36  128 to 256 bits',
      'caps:',
      '- B: TLS 1.0 is offered',
    ]);
    expect(lines).toContain('HSTS: none (HTTP/1.1 200 OK)');
    expect(lines).toContain('TLS 1.1: refused (the server refused TLSv1.1 (X))');
  });
});
