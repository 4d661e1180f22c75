import { z } from 'zod';

/**
 * The TLS grade a `tls-grade` check returns beside its evidence, as the browser reads it. It mirrors
 * the grader's TlsGradeReportSchema (grader/tls-grade/report-schema.ts; client components reach no
 * library), and a drift between the two is caught by grader/tls-grade/report-schema.test.ts,
 * which parses a report the grader made. A report this page cannot read is not drawn.
 */
const Letter = z.enum(['A+', 'A', 'A-', 'B', 'C', 'D', 'E', 'F', 'T']);
const Category = z.object({ score: z.number(), weighted: z.number(), detail: z.string() });

export const TlsGradeViewSchema = z.object({
  grade: Letter,
  gradeIfTrusted: Letter,
  minGrade: Letter,
  score: z.number(),
  scoreGrade: Letter,
  categories: z.object({ protocol: Category, keyExchange: Category, cipher: Category }),
  caps: z.array(z.object({ grade: Letter, reason: z.string() })),
  warnings: z.array(z.string()),
  trustProblem: z.string().nullable(),
  aPlusShortfall: z.string().nullable(),
  mainReason: z.string(),
  protocols: z.array(z.string()),
  hsts: z.string().nullable(),
});
export type TlsGradeView = z.infer<typeof TlsGradeViewSchema>;

/** The report of the last check in the list that carries a readable one. */
export function gradeOf(checks: readonly { tlsGrade?: unknown }[]): TlsGradeView | null {
  for (const check of [...checks].reverse()) {
    const parsed = TlsGradeViewSchema.safeParse(check.tlsGrade);
    if (parsed.success) return parsed.data;
  }
  return null;
}
