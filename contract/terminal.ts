import { z } from 'zod';

/** The most a client may type in one `input` message. */
export const MAX_TERMINAL_INPUT_CHARS = 64 * 1024;

/** What a terminal client may send: keystrokes, a new size, and how much output it has processed. */
export const TerminalClientMessageSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('input'), data: z.string().max(MAX_TERMINAL_INPUT_CHARS) }),
  z.object({
    type: z.literal('resize'),
    cols: z.number().int().min(2).max(1000),
    rows: z.number().int().min(1).max(500),
  }),
  z.object({ type: z.literal('ack'), bytes: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER) }),
]);
export type TerminalClientMessage = z.infer<typeof TerminalClientMessageSchema>;

/** What the server says besides the shell's output (which travels as binary frames). */
export const TerminalEventSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('exit'), code: z.number().int().nullable() }),
  z.object({ type: z.literal('error'), message: z.string() }),
]);
export type TerminalEvent = z.infer<typeof TerminalEventSchema>;

/** Application close codes of the terminal WebSocket (docs/protocols/terminal.md). */
export const TERMINAL_CLOSE = {
  shellExited: 4000,
  replaced: 4001,
  sessionEnded: 4004,
  protocolError: 4008,
  sandboxError: 4500,
} as const;
