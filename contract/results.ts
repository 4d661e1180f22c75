import { z } from 'zod';
import { TlsGradeReportSchema } from './tls-grade-report';

/** One check's verdict, as the API gives it to learners and graders. */
export const CheckResultSchema = z.object({
  name: z.string(),
  passed: z.boolean(),
  /** What the learner should know, in one sentence. */
  message: z.string(),
  /** A command the learner can paste into the lab terminal to see the same thing. */
  command: z.string(),
  /** The lines of real output that decided it. */
  evidence: z.string(),
  /** A `tls-grade` check's grade as data (the evidence says the same in text). */
  tlsGrade: TlsGradeReportSchema.optional(),
});
export type CheckResult = z.infer<typeof CheckResultSchema>;

/** A step's verdict: it passes when every one of its checks does. */
export const StepResultSchema = z.object({
  stepId: z.string(),
  passed: z.boolean(),
  durationMs: z.number(),
  checks: z.array(CheckResultSchema),
});
export type StepResult = z.infer<typeof StepResultSchema>;
