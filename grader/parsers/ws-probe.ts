import { z } from 'zod';
import { describeIssues, excerptOf, readJsonObject, ToolOutputError } from './json-text';

/** What `grader/probes/ws-probe.mjs` prints: one JSON object, whatever the server did. */
export const WsProbeSchema = z.object({
  ok: z.boolean().describe('a message came back after a valid handshake'),
  stage: z
    .enum(['connect', 'handshake', 'message', 'done'])
    .describe('how far it got: the failing stage when ok is false'),
  error: z.string().nullable(),
  offered: z.object({
    url: z.string(),
    connectTo: z.string().nullable(),
    message: z.string(),
    insecure: z.boolean(),
  }),
  tls: z.object({ protocol: z.string().nullable(), alpn: z.string().nullable() }).nullable(),
  status: z.number().int().nullable().describe('the status of the answer to the upgrade request'),
  statusLine: z.string().nullable(),
  headers: z.record(z.string(), z.string()),
  acceptValid: z.boolean().describe('Sec-WebSocket-Accept matched the key sent, as RFC 6455 requires'),
  received: z.string().nullable().describe('the first message back, as UTF-8'),
  receivedBinary: z.boolean(),
  closeCode: z.number().int().nullable(),
  elapsedMs: z.number().int().min(0),
});
export type WsProbeFacts = z.infer<typeof WsProbeSchema>;

export class NotWsProbeJsonError extends ToolOutputError {
  override name = 'NotWsProbeJsonError';
}

export function parseWsProbe(text: string): WsProbeFacts {
  const reading = readJsonObject(text);
  const parsed = reading.ok ? WsProbeSchema.safeParse(reading.value) : undefined;
  if (!parsed?.success) {
    const problem = !reading.ok ? reading.problem : describeIssues(parsed!.error);
    throw new NotWsProbeJsonError(
      `the WebSocket probe's output is not its JSON: ${problem}. It begins ${excerptOf(text)}`,
      excerptOf(text),
    );
  }
  return parsed.data;
}
