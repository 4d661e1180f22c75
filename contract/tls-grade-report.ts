import { z } from 'zod';

/**
 * The TLS grade as data, beside a tls-grade check's text evidence, for a page to draw: the letter,
 * the score of each SSL Labs category and every reason that capped or lowered it. Only zod here, so
 * the same shape can be checked wherever the result is read.
 */
const GradeLetter = z.enum(['A+', 'A', 'A-', 'B', 'C', 'D', 'E', 'F', 'T']);

const CategorySchema = z
  .object({
    /** 0–100. */
    score: z.number().int().min(0).max(100),
    /** Its share of the total: 30 % of protocol and key exchange, 40 % of cipher strength. */
    weighted: z.number().int().min(0).max(100),
    /** What decided it, e.g. "TLS 1.2, TLS 1.3". */
    detail: z.string(),
  })
  .strict();

export const TlsGradeReportSchema = z
  .object({
    grade: GradeLetter,
    /** The grade the configuration earns were its certificate trusted (shown beside a T). */
    gradeIfTrusted: GradeLetter.exclude(['T']),
    /** The grade the check asked for. */
    minGrade: GradeLetter,
    score: z.number().int().min(0).max(100),
    scoreGrade: GradeLetter.exclude(['T', 'A+', 'A-']),
    categories: z
      .object({ protocol: CategorySchema, keyExchange: CategorySchema, cipher: CategorySchema })
      .strict(),
    caps: z.array(z.object({ grade: GradeLetter.exclude(['T']), reason: z.string() }).strict()),
    /** Each turns an A into an A-. */
    warnings: z.array(z.string()),
    trustProblem: z.string().nullable(),
    aPlusShortfall: z.string().nullable(),
    mainReason: z.string(),
    /** The protocols the server accepted, as "TLS 1.2". */
    protocols: z.array(z.string()),
    /** The Strict-Transport-Security header, null when the server sent none. */
    hsts: z.string().nullable(),
  })
  .strict();
export type TlsGradeReport = z.infer<typeof TlsGradeReportSchema>;
