import type { z } from 'zod';
import { ErrorBodySchema } from '@/contract';

export type Answer<T> =
  { ok: true; status: number; value: T } | { ok: false; status: number; code: string; message: string };

/**
 * Reads an API answer with the shared contract's schema: the value of a success, or the error body's
 * code and message. An answer that does not match the contract is an error the learner can read,
 * never a value cast into shape.
 */
export async function readAnswer<T>(response: Response, schema: z.ZodType<T>): Promise<Answer<T>> {
  const body: unknown = await response.json().catch(() => null);
  if (response.ok) {
    const parsed = schema.safeParse(body);
    if (parsed.success) return { ok: true, status: response.status, value: parsed.data };
    return {
      ok: false,
      status: response.status,
      code: 'unexpected_answer',
      message: `The server's answer was not understood (${parsed.error.issues[0]?.message ?? 'no body'}).`,
    };
  }
  return { ok: false, status: response.status, ...errorOf(response.status, body) };
}

/** The code and message of an error answer's body, or a generic one naming the status. */
export function errorOf(status: number, body: unknown): { code: string; message: string } {
  const parsed = ErrorBodySchema.safeParse(body);
  return parsed.success
    ? parsed.data.error
    : { code: 'http', message: `The server answered HTTP ${status}.` };
}
