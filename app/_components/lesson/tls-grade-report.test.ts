// The page draws the report the grader makes, read with the shared contract's schema.
import { describe, expect, it } from 'vitest';
import { TlsGradeReportSchema } from '@/contract';
import { gradeOf } from './tls-grade-report';

const report = TlsGradeReportSchema.parse({
  grade: 'T',
  gradeIfTrusted: 'B',
  minGrade: 'B',
  score: 91,
  scoreGrade: 'A',
  categories: {
    protocol: { score: 95, weighted: 28, detail: 'TLS 1.0, TLS 1.1, TLS 1.2' },
    keyExchange: { score: 90, weighted: 27, detail: 'RSA 2048 bits; ECDH X25519 253 bits' },
    cipher: { score: 90, weighted: 36, detail: '128 to 256 bits' },
  },
  caps: [{ grade: 'B', reason: 'TLS 1.0 is offered' }],
  warnings: ['TLS 1.3 is not offered'],
  trustProblem: 'the certificate is self-signed',
  aPlusShortfall: null,
  mainReason: 'the certificate is self-signed (B if it were trusted)',
  protocols: ['TLS 1.0', 'TLS 1.1', 'TLS 1.2'],
  hsts: null,
});

describe('the TLS grade on the page', () => {
  it("reads the grader's report as it is", () => {
    expect(gradeOf([{ tlsGrade: report }])).toEqual(report);
  });

  it('takes the last readable report of a step and ignores checks without one', () => {
    const later = { ...report, grade: 'A' as const };
    expect(gradeOf([{ tlsGrade: report }, {}, { tlsGrade: later }])?.grade).toBe('A');
    expect(gradeOf([{ tlsGrade: report }, { tlsGrade: { grade: 'Z' } }])?.grade).toBe('T');
    expect(gradeOf([{}, { tlsGrade: undefined }])).toBeNull();
  });
});
