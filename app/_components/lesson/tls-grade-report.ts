import { TlsGradeReportSchema, type TlsGradeReport } from '@/contract';

/**
 * The report of the last check in the list that carries a readable one (the grader's own schema,
 * from the shared contract). A report this page cannot read is not drawn.
 */
export function gradeOf(checks: readonly { tlsGrade?: unknown }[]): TlsGradeReport | null {
  for (const check of [...checks].reverse()) {
    const parsed = TlsGradeReportSchema.safeParse(check.tlsGrade);
    if (parsed.success) return parsed.data;
  }
  return null;
}
