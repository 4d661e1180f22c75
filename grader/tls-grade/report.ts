import type { HstsFact } from './hsts';
import type { ProtocolScan } from './plan';
import type { Rating } from './rating';
import { TlsGradeReportSchema, type TlsGradeReport } from '@/contract';
import { PROTOCOL_LABELS } from './scores';

const row = (label: string, score: number, weighted: number, detail: string) =>
  `${label.padEnd(16)} ${String(score).padStart(5)} ${String(weighted).padStart(8)}  ${detail}`;

function hstsLine(hsts: HstsFact): string {
  switch (hsts.state) {
    case 'present':
      return `HSTS: ${hsts.header}`;
    case 'missing':
      return `HSTS: none (${hsts.status})`;
    case 'unknown':
      return `HSTS: unknown (${hsts.reason})`;
  }
}

/**
 * The score table first and every cap and warning after it, so the lines that decided the grade
 * survive when evidence is clipped; the suite lists, longest, come last.
 */
export function ratingEvidence(rating: Rating, scans: readonly ProtocolScan[], hsts: HstsFact): string {
  const { categories, weighted } = rating;
  const trusted = rating.trustProblem ? `${rating.trustProblem}; ${rating.gradeIfTrusted} if trusted` : '';
  const lines = [
    `grade ${rating.grade}${trusted ? ` (${trusted})` : ''}, score ${rating.score} (${rating.scoreGrade} by score)`,
    `${'category'.padEnd(16)} ${'score'.padStart(5)} ${'weighted'.padStart(8)}`,
    row('protocol (30%)', categories.protocol.score, weighted.protocol, categories.protocol.detail),
    row('key exch. (30%)', categories.keyExchange.score, weighted.keyExchange, categories.keyExchange.detail),
    row('cipher (40%)', categories.cipher.score, weighted.cipher, categories.cipher.detail),
    rating.caps.length === 0 ? 'caps: none' : 'caps:',
    ...rating.caps.map((cap) => `- ${cap.grade}: ${cap.reason}`),
    rating.warnings.length === 0 ? 'warnings: none' : 'warnings (A becomes A-):',
    ...rating.warnings.map((warning) => `- ${warning}`),
    ...(rating.aPlusShortfall ? [`not A+: ${rating.aPlusShortfall}`] : []),
    hstsLine(hsts),
    ...scans.map((scan) => {
      const label = PROTOCOL_LABELS[scan.version];
      if (scan.support.verdict !== 'accepted')
        return `${label}: ${scan.support.verdict} (${scan.support.reason})`;
      const names = scan.suites.map((suite) => suite.name).join(' ');
      return `${label}: ${scan.suites.length} suites${scan.incomplete ? ` (${scan.incomplete})` : ''}: ${names}`;
    }),
    "not tested: SSL 2.0/3.0, RC4, 3DES and export suites (the probe's OpenSSL 3 cannot offer them), renegotiation, known vulnerabilities",
  ];
  return lines.join('\n');
}

export function ratingMessage(name: string, rating: Rating, minGrade: string, passed: boolean): string {
  const verdict = passed ? `at least ${minGrade}` : `${minGrade} or better was needed`;
  return `${name}: grade ${rating.grade} (score ${rating.score}), ${rating.mainReason}; ${verdict}.`;
}

/** The rating as data for the page (validated, so a page never draws a half-made report). */
export function ratingReport(
  rating: Rating,
  scans: readonly ProtocolScan[],
  hsts: HstsFact,
  minGrade: TlsGradeReport['minGrade'],
): TlsGradeReport {
  const { categories, weighted } = rating;
  return TlsGradeReportSchema.parse({
    grade: rating.grade,
    gradeIfTrusted: rating.gradeIfTrusted,
    minGrade,
    score: rating.score,
    scoreGrade: rating.scoreGrade,
    categories: {
      protocol: { ...categories.protocol, weighted: weighted.protocol },
      keyExchange: { ...categories.keyExchange, weighted: weighted.keyExchange },
      cipher: { ...categories.cipher, weighted: weighted.cipher },
    },
    caps: rating.caps.map((cap) => ({ grade: cap.grade, reason: cap.reason })),
    warnings: [...rating.warnings],
    trustProblem: rating.trustProblem,
    aPlusShortfall: rating.aPlusShortfall,
    mainReason: rating.mainReason,
    protocols: scans
      .filter((scan) => scan.support.verdict === 'accepted')
      .map((scan) => PROTOCOL_LABELS[scan.version]),
    hsts: hsts.state === 'present' ? hsts.header : null,
  });
}
