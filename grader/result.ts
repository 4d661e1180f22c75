import { z } from 'zod';
import { FailureSchema } from './failure';
import { TlsGradeReportSchema } from './tls-grade/report-schema';

/** One check's verdict, as API.md gives it to learners and graders. */
export const CheckResultSchema = z.object({
  name: z.string(),
  passed: z.boolean(),
  /** What the learner should know, in one sentence. */
  message: z.string(),
  /** A command the learner can paste into the lab terminal to see the same thing. */
  command: z.string(),
  /** The lines of real output that decided it. */
  evidence: z.string(),
  /** How a failed check failed, as its kind classified it from the facts. */
  failure: FailureSchema.optional(),
  /** What to do about this failure: the lab's hint for it, when the check has one. */
  hint: z.string().optional(),
  /** A `tls-grade` check's grade as data (the evidence says the same in text). */
  tlsGrade: TlsGradeReportSchema.optional(),
});
export type CheckResult = z.infer<typeof CheckResultSchema>;

export const StepResultSchema = z.object({
  stepId: z.string(),
  passed: z.boolean(),
  durationMs: z.number(),
  checks: z.array(CheckResultSchema),
});
export type StepResult = z.infer<typeof StepResultSchema>;

/** Evidence is for reading: keep it to the lines that matter. */
export function clip(text: string, maxChars = 2000): string {
  const trimmed = text.trim();
  return trimmed.length > maxChars
    ? `${trimmed.slice(0, maxChars)}\n… (${trimmed.length - maxChars} more characters)`
    : trimmed;
}
