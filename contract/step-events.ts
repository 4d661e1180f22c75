import { z } from 'zod';
import { CheckResultSchema, StepResultSchema } from './results';

/** What set a grading off: the learner's Check, or the platform re-checking while the lab is open. */
export const GradingTriggerSchema = z.enum(['click', 'command', 'file', 'tick']);
export type GradingTrigger = z.infer<typeof GradingTriggerSchema>;

/**
 * What the session's event stream (`GET /api/sessions/{id}/events`, server-sent events, one JSON
 * object a message) tells the lesson page: each check of a grading as it starts and ends, then the
 * step's verdict. Live re-checks and the learner's own Checks both come this way.
 */
export const StepEventSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('check-started'),
    stepId: z.string(),
    trigger: GradingTriggerSchema,
    index: z.number().int().min(0),
    name: z.string(),
    /** How many checks the step has. */
    of: z.number().int().min(1),
  }),
  z.object({
    type: z.literal('check-done'),
    stepId: z.string(),
    trigger: GradingTriggerSchema,
    index: z.number().int().min(0),
    result: CheckResultSchema,
  }),
  z.object({ type: z.literal('step-done'), trigger: GradingTriggerSchema, result: StepResultSchema }),
]);
export type StepEvent = z.infer<typeof StepEventSchema>;
