import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer, type RawData } from 'ws';
import { z } from 'zod';
import { describeError, TERMINAL_CLOSE, type AttachedTerminal, type ShellHub } from '@/sandbox';
import { LEARNER_COOKIE, readCookie, verifyLearnerCookie } from './identity';
import type { LabSessions } from './lab-sessions';

const TERMINAL_PATH = /^\/api\/sessions\/([A-Za-z0-9_]+)\/terminal$/;
const MAX_INPUT_CHARS = 64 * 1024;

/** What a client may send: keystrokes, a new size, and how much output it has processed. */
export const ClientMessageSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('input'), data: z.string().max(MAX_INPUT_CHARS) }),
  z.object({
    type: z.literal('resize'),
    cols: z.number().int().min(2).max(1000),
    rows: z.number().int().min(1).max(500),
  }),
  z.object({ type: z.literal('ack'), bytes: z.number().int().min(0) }),
]);

const QuerySchema = z.object({
  token: z.string().optional(),
  terminal: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,64}$/)
    .default('main'),
  cols: z.coerce.number().int().min(2).max(1000).default(80),
  rows: z.coerce.number().int().min(1).max(500).default(24),
});

/**
 * The terminal's WebSocket endpoint. It decides on the upgrade itself (Next.js middleware never sees
 * upgrades): a request without a valid token or the owner's cookie, or with a foreign Origin, is
 * answered with an HTTP error before any Docker call.
 */
export class TerminalGateway {
  private readonly wss = new WebSocketServer({
    noServer: true,
    perMessageDeflate: false,
    maxPayload: 256 * 1024,
  });

  constructor(
    private readonly sessions: LabSessions,
    private readonly hub: ShellHub,
    private readonly secret: Buffer,
    private readonly allowedOrigin: string,
  ) {}

  /** Takes the upgrade when it is for a terminal and returns true; returns false for anything else. */
  handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): boolean {
    const url = new URL(request.url ?? '/', 'http://keiko.invalid');
    const match = TERMINAL_PATH.exec(url.pathname);
    if (!match) return false;
    const refuse = (status: number, message: string) => {
      socket.end(
        `HTTP/1.1 ${status} ${message}\r\nConnection: close\r\nContent-Type: text/plain\r\nContent-Length: ${Buffer.byteLength(message)}\r\n\r\n${message}`,
      );
      return true;
    };
    // Browsers always send Origin on a WebSocket; a foreign one is a cross-site hijack attempt.
    // Clients that are not browsers send none, and must then hold the session's token.
    const origin = request.headers.origin;
    if (origin !== undefined && origin !== this.allowedOrigin)
      return refuse(403, 'Forbidden: foreign Origin');
    const query = QuerySchema.safeParse(Object.fromEntries(url.searchParams));
    if (!query.success) return refuse(400, `Bad Request: ${query.error.issues[0]?.message ?? 'bad query'}`);
    const learnerId = verifyLearnerCookie(this.secret, readCookie(request.headers.cookie, LEARNER_COOKIE));
    if (!learnerId && !query.data.token)
      return refuse(401, 'Unauthorized: a session token or the owner cookie is needed');
    const session = this.sessions.authorize(match[1]!, { learnerId, token: query.data.token });
    if (!session) return refuse(404, 'Not Found');
    this.wss.handleUpgrade(request, socket, head, (ws) => void this.connect(ws, session.id, query.data));
    return true;
  }

  close(): void {
    for (const client of this.wss.clients) client.terminate();
    this.wss.close();
  }

  private async connect(ws: WebSocket, sessionId: string, query: z.infer<typeof QuerySchema>): Promise<void> {
    ws.binaryType = 'nodebuffer';
    const closeWith = (code: number, reason: string) => {
      if (ws.readyState === WebSocket.OPEN || ws.readyState === WebSocket.CONNECTING) ws.close(code, reason);
    };
    let terminal: AttachedTerminal | undefined;
    const early: RawData[] = [];
    ws.on('message', (data, isBinary) => {
      if (!terminal) return void early.push(data);
      this.receive(terminal, data, isBinary, closeWith);
    });
    ws.on('close', () => terminal?.detach());
    ws.on('error', () => terminal?.detach());
    try {
      terminal = await this.hub.attach(
        sessionId,
        query.terminal,
        {
          sendOutput: (chunk) => ws.readyState === WebSocket.OPEN && ws.send(chunk, { binary: true }),
          sendEvent: (event) => ws.readyState === WebSocket.OPEN && ws.send(JSON.stringify(event)),
          close: closeWith,
        },
        { cols: query.cols, rows: query.rows },
      );
      if (ws.readyState !== WebSocket.OPEN) return terminal.detach();
      for (const data of early.splice(0)) this.receive(terminal, data, false, closeWith);
    } catch (error) {
      if (ws.readyState === WebSocket.OPEN)
        ws.send(JSON.stringify({ type: 'error', message: describeError(error) }));
      closeWith(TERMINAL_CLOSE.sandboxError, 'the terminal could not start');
    }
  }

  private receive(
    terminal: AttachedTerminal,
    data: RawData,
    isBinary: boolean,
    closeWith: (code: number, reason: string) => void,
  ): void {
    let message: z.infer<typeof ClientMessageSchema>;
    try {
      if (isBinary) throw new Error('binary frames are not accepted from clients');
      message = ClientMessageSchema.parse(JSON.parse(data.toString()));
    } catch {
      return closeWith(TERMINAL_CLOSE.protocolError, 'expected a JSON input, resize or ack message');
    }
    if (message.type === 'input') terminal.input(message.data);
    else if (message.type === 'resize') terminal.resize(message.cols, message.rows);
    else terminal.ack(message.bytes);
  }
}
