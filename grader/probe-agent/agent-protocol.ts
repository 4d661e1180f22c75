import { z } from 'zod';

/** What the probe agent answers to one request (grader/probes/probe-agent.mjs writes it). */
export const AgentReplySchema = z.union([
  z.object({ id: z.number(), pid: z.number() }),
  z.object({ id: z.number(), error: z.string() }),
  z.object({
    id: z.number(),
    exitCode: z.number().nullable(),
    stdout: z.string(),
    stderr: z.string(),
    timedOut: z.boolean(),
    truncated: z.boolean(),
    durationMs: z.number(),
  }),
]);
export type AgentReply = z.infer<typeof AgentReplySchema>;

export type AgentRequest =
  | { op: 'ping' }
  | { op: 'exec'; argv: string[]; stdin?: string; timeoutMs: number; maxBytes: number }
  | { op: 'module'; source: string; args: string[]; timeoutMs: number; maxBytes: number };
