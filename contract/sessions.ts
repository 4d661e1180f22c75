import { z } from 'zod';

/** A step as a learner sees it: its hint, and their record (passed once is passed). */
export const StepViewSchema = z.object({
  id: z.string(),
  title: z.string(),
  hint: z.string().nullable(),
  passed: z.boolean(),
  attempts: z.number().int().min(0),
});
export type StepView = z.infer<typeof StepViewSchema>;

/** A lab session as the API answers it: what a page or a grader needs to use the sandbox. */
export const SessionObjectSchema = z.object({
  id: z.string(),
  labId: z.string(),
  status: z.enum(['pooled', 'starting', 'ready', 'stopped', 'expired', 'failed']),
  /** A bearer token for this session alone: graders send it as `Authorization: Bearer …`. */
  token: z.string(),
  /** The terminal's WebSocket path, relative to the server. */
  terminalUrl: z.string(),
  steps: z.array(StepViewSchema),
  createdAt: z.iso.datetime(),
  /** When the session ends whatever happens. */
  expiresAt: z.iso.datetime(),
  /** When it ends unless something is done in it. */
  idleExpiresAt: z.iso.datetime(),
});
export type SessionObject = z.infer<typeof SessionObjectSchema>;

/** `GET /api/labs`: every lab, with the course and lesson it belongs to. */
export const LabListSchema = z.array(
  z.object({
    id: z.string(),
    title: z.string(),
    course: z.string().nullable(),
    lesson: z.string().nullable(),
    steps: z.array(z.object({ id: z.string(), title: z.string() })),
  }),
);
export type LabList = z.infer<typeof LabListSchema>;

/**
 * `GET /api/labs/{labId}/record`: this learner's steps of a lab and whether their sandbox is running.
 * Lesson pages are the same HTML for every learner; the page fills this in once it loads.
 */
export const LabRecordSchema = z.object({
  labId: z.string(),
  steps: z.array(StepViewSchema),
  /** The learner has a live session of this lab: the page resumes it as it opens. */
  live: z.boolean(),
});
export type LabRecord = z.infer<typeof LabRecordSchema>;

/** `GET /api/progress`: this learner's steps passed in every course and each of its lessons. */
export const LearnerProgressSchema = z.object({
  courses: z.array(
    z.object({
      courseId: z.string(),
      passed: z.number().int().min(0),
      total: z.number().int().min(0),
      lessons: z.array(
        z.object({ slug: z.string(), passed: z.number().int().min(0), total: z.number().int().min(0) }),
      ),
    }),
  ),
});
export type LearnerProgress = z.infer<typeof LearnerProgressSchema>;
