import { z } from 'zod';
import { TlsGradeReportSchema } from './tls-grade-report';

/** How a check can fail; grader/failure.ts says what each means and which kinds report it. */
export const FAILURE_CODES = [
  'refused',
  'timeout',
  'unreachable',
  'closed',
  'status',
  'unavailable',
  'http-version',
  'header',
  'body',
  'cookie',
  'slow',
  'tls-handshake',
  'tls-alert',
  'tls-version',
  'alpn',
  'cert-name',
  'tls-grade',
  'websocket',
  'dns',
  'exit',
  'file-missing',
  'file-content',
  'process-missing',
  'process-mismatch',
  'port-scope',
  'port-owner',
] as const;
export const FailureSchema = z.enum(FAILURE_CODES);
export type Failure = z.infer<typeof FailureSchema>;

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
  /** How a failed check failed, as its kind classified it from the facts (grader/failure.ts). */
  failure: FailureSchema.optional(),
  /** What to do about this failure: the lab's hint for it, when the check has one. */
  hint: z.string().optional(),
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
