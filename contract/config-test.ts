import { z } from 'zod';

/** Where Apache's configuration test blames a problem, and what it says. */
export const ApacheConfigProblemSchema = z.object({
  /** The absolute path Apache names (as it opened it: a sites-enabled link, not its target). */
  file: z.string().nullable(),
  line: z.number().int().min(1).nullable(),
  message: z.string().min(1),
});
export type ApacheConfigProblem = z.infer<typeof ApacheConfigProblemSchema>;

/** `POST /api/sessions/{id}/files/config-test`: `apachectl -t` run in the sandbox after a save. */
export const ConfigTestAnswerSchema = z.object({
  tool: z.literal('apachectl -t'),
  ok: z.boolean(),
  /** Why it failed (file and line null when Apache named no place); null when `ok`. */
  problem: ApacheConfigProblemSchema.extend({ inSavedFile: z.boolean() }).nullable(),
  warnings: z.array(z.string()),
  /** What apachectl printed, trimmed, for the learner who wants all of it. */
  output: z.string(),
});
export type ConfigTestAnswer = z.infer<typeof ConfigTestAnswerSchema>;
