import { z } from 'zod';

/** Every error answer of the API: a stable code to branch on and a message that says what to change. */
export const ErrorBodySchema = z.object({
  error: z.object({ code: z.string(), message: z.string() }),
});
export type ErrorBody = z.infer<typeof ErrorBodySchema>;
