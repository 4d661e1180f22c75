'use client';

import type { TlsGradeReport } from '@/contract';

const CATEGORIES = [
  ['protocol', 'Protocol support', 30],
  ['keyExchange', 'Key exchange', 30],
  ['cipher', 'Cipher strength', 40],
] as const;

/** A grade's colour family: A+ to A- good, B and C middling, the rest bad. */
function tone(grade: string): 'good' | 'fair' | 'bad' {
  if (grade.startsWith('A')) return 'good';
  if (grade === 'B' || grade === 'C') return 'fair';
  return 'bad';
}

/**
 * The server's TLS grade as SSL Labs draws it: a large letter, a bar per category with its score,
 * and every reason that capped it or keeps it from the next letter. Drawn from the last check.
 */
export function TlsGradeCard({ report, stepTitle }: { report: TlsGradeReport; stepTitle?: string }) {
  const reasons = [
    ...(report.trustProblem
      ? [`T: ${report.trustProblem} (${report.gradeIfTrusted} if it were trusted)`]
      : []),
    ...report.caps.map((cap) => `capped at ${cap.grade}: ${cap.reason}`),
    ...report.warnings.map((warning) => `warning (it makes an A an A-): ${warning}`),
    ...(report.aPlusShortfall ? [`not A+: ${report.aPlusShortfall}`] : []),
  ];
  return (
    <section
      className="tls-grade"
      data-testid="tls-grade"
      data-grade={report.grade}
      aria-label={`TLS grade ${report.grade}`}
    >
      <div className={`tls-grade-letter ${tone(report.grade)}`} aria-hidden="true">
        {report.grade}
      </div>
      <div className="tls-grade-body">
        <p className="tls-grade-summary">
          <strong>Grade {report.grade}</strong>, score {report.score} of 100 ({report.scoreGrade} by score)
          {stepTitle ? <span className="muted"> · checked in “{stepTitle}”</span> : null}
        </p>
        <table className="tls-grade-scores">
          <tbody>
            {CATEGORIES.map(([key, label, weight]) => {
              const category = report.categories[key];
              return (
                <tr key={key} data-testid={`tls-grade-${key}`}>
                  <th scope="row">
                    {label} <span className="muted">({weight}%)</span>
                  </th>
                  <td className="tls-grade-bar">
                    <span style={{ width: `${category.score}%` }} />
                  </td>
                  <td className="tls-grade-score">{category.score}</td>
                  <td className="muted tls-grade-detail">{category.detail}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
        {reasons.length > 0 ? (
          <ul className="tls-grade-reasons" data-testid="tls-grade-reasons">
            {reasons.map((reason) => (
              <li key={reason}>{reason}</li>
            ))}
          </ul>
        ) : (
          <p className="tls-grade-reasons ok" data-testid="tls-grade-reasons">
            Nothing caps or lowers this grade.
          </p>
        )}
        <p className="muted tls-grade-facts">
          Protocols: {report.protocols.join(', ') || 'none'} · HSTS: {report.hsts ?? 'not sent'}
        </p>
      </div>
    </section>
  );
}
