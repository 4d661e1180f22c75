import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer, type RawData } from 'ws';
import { z } from 'zod';
import { TERMINAL_CLOSE, TerminalClientMessageSchema } from '@/contract';
import { describeError, type AttachedTerminal, type ShellHub } from '@/sandbox';
import { refuseSocket, targetRefusal } from './http-boundary';
import { learnerFromCookies, readCookie } from './identity';
import type { LearnerLabs } from './learner-labs';

const TERMINAL_PATH = /^\/api\/sessions\/([A-Za-z0-9_]+)\/terminal$/;
/** The largest frame a client may send (a bigger one closes the socket with 1009). */
const MAX_FRAME_BYTES = 256 * 1024;

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
 * answered with an HTTP error before any Docker call. Nothing a client sends (a malformed upgrade, a
 * frame after its session ended, a flood) can throw out of it.
 */
export class TerminalGateway {
  private readonly wss = new WebSocketServer({
    noServer: true,
    perMessageDeflate: false,
    maxPayload: MAX_FRAME_BYTES,
  });
  private readonly allowedOrigins: ReadonlySet<string>;

  constructor(
    private readonly labs: LearnerLabs,
    private readonly hub: ShellHub,
    private readonly secret: Buffer,
    /** The origins of this server's own pages (platform/server-names.ts). */
    allowedOrigins: string | Iterable<string>,
    /** Told while a terminal is connected: an open terminal keeps the lab's steps checked live. */
    private readonly viewers?: { open(sessionId: string): () => void },
  ) {
    this.allowedOrigins = new Set(
      typeof allowedOrigins === 'string' ? [allowedOrigins] : [...allowedOrigins],
    );
  }

  /**
   * Takes the upgrade when it is for a terminal and returns true; returns false for anything else.
   * Every refusal is an HTTP status on a closed socket; it never throws.
   */
  handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): boolean {
    const url = parseRequestUrl(request.url);
    if (!url) {
      refuseSocket(socket, 400, 'Bad Request: the request target is not a path');
      return true;
    }
    const match = TERMINAL_PATH.exec(url.pathname);
    if (!match) return false;
    try {
      this.decide(request, socket, head, url, match[1]!);
    } catch (error) {
      console.error(`keiko: terminal upgrade refused after an error: ${describeError(error)}`);
      refuseSocket(socket, 400, 'Bad Request');
    }
    return true;
  }

  /** Terminals connected now: while one is, the server is not idle (its pages wait to be warmed). */
  get connected(): number {
    return this.wss.clients.size;
  }

  close(): void {
    for (const client of this.wss.clients) client.terminate();
    this.wss.close();
  }

  private decide(request: IncomingMessage, socket: Duplex, head: Buffer, url: URL, sessionId: string): void {
    const refuse = (status: number, message: string) => refuseSocket(socket, status, message);
    // Browsers always send Origin on a WebSocket; a foreign one is a cross-site hijack attempt.
    // Clients that are not browsers send none, and must then hold the session's token.
    const origin = request.headers.origin;
    if (origin !== undefined && !this.allowedOrigins.has(origin.toLowerCase()))
      return refuse(403, 'Forbidden: foreign Origin');
    if ((request.headers.upgrade ?? '').toLowerCase() !== 'websocket')
      return refuse(400, 'Bad Request: only WebSocket upgrades are served here');
    const query = QuerySchema.safeParse(Object.fromEntries(url.searchParams));
    if (!query.success) return refuse(400, `Bad Request: ${query.error.issues[0]?.message ?? 'bad query'}`);
    const learnerId = learnerFromCookies(this.secret, (name) => readCookie(request.headers.cookie, name));
    if (!learnerId && !query.data.token)
      return refuse(401, 'Unauthorized: a session token or the owner cookie is needed');
    const session = this.labs.authorize(sessionId, { learnerId, token: query.data.token });
    if (!session) return refuse(404, 'Not Found');
    // ws answers a malformed handshake (bad Sec-WebSocket-Key or version) with its own 400.
    this.wss.handleUpgrade(request, socket, head, (ws) => {
      this.connect(ws, session.id, query.data).catch((error: unknown) => {
        console.error(`keiko: terminal of ${session.id} failed: ${describeError(error)}`);
        ws.terminate();
      });
    });
  }

  private async connect(ws: WebSocket, sessionId: string, query: z.infer<typeof QuerySchema>): Promise<void> {
    ws.binaryType = 'nodebuffer';
    const closeWith = (code: number, reason: string) => {
      if (ws.readyState === WebSocket.OPEN || ws.readyState === WebSocket.CONNECTING) ws.close(code, reason);
    };
    let terminal: AttachedTerminal | undefined;
    const early: { data: RawData; isBinary: boolean }[] = [];
    let earlyBytes = 0;
    const receive = (data: RawData, isBinary: boolean) => {
      // Frames that arrive once the socket began closing (or its session ended) are dropped.
      if (ws.readyState !== WebSocket.OPEN) return;
      if (!terminal) {
        earlyBytes += rawLength(data);
        if (earlyBytes > MAX_FRAME_BYTES) return closeWith(1008, 'too much input before the shell started');
        return void early.push({ data, isBinary });
      }
      this.receive(ws, terminal, data, isBinary, closeWith);
    };
    ws.on('message', (data, isBinary) => {
      try {
        receive(data, isBinary);
      } catch (error) {
        console.error(`keiko: terminal message of ${sessionId} dropped: ${describeError(error)}`);
        closeWith(1011, 'the server could not handle this message');
      }
    });
    const closeViewer = this.viewers?.open(sessionId);
    ws.on('close', () => {
      terminal?.detach();
      closeViewer?.();
    });
    ws.on('error', () => {
      terminal?.detach();
      closeViewer?.();
    });
    try {
      terminal = await this.hub.attach(
        sessionId,
        query.terminal,
        {
          sendOutput: (chunk, done) => {
            if (ws.readyState !== WebSocket.OPEN) return done();
            ws.send(chunk, { binary: true }, () => done());
          },
          sendEvent: (event) => {
            if (ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify(event));
          },
          close: closeWith,
        },
        { cols: query.cols, rows: query.rows },
      );
    } catch (error) {
      if (ws.readyState === WebSocket.OPEN)
        ws.send(JSON.stringify({ type: 'error', message: describeError(error) }));
      return closeWith(TERMINAL_CLOSE.sandboxError, 'the terminal could not start');
    }
    if (ws.readyState !== WebSocket.OPEN) return terminal.detach();
    for (const { data, isBinary } of early.splice(0)) this.receive(ws, terminal, data, isBinary, closeWith);
  }

  private receive(
    ws: WebSocket,
    terminal: AttachedTerminal,
    data: RawData,
    isBinary: boolean,
    closeWith: (code: number, reason: string) => void,
  ): void {
    let message: z.infer<typeof TerminalClientMessageSchema>;
    try {
      if (isBinary) throw new Error('binary frames are not accepted from clients');
      message = TerminalClientMessageSchema.parse(JSON.parse(data.toString()));
    } catch {
      return closeWith(TERMINAL_CLOSE.protocolError, 'expected a JSON input, resize or ack message');
    }
    if (message.type === 'input') {
      // Input waits for the shell: while its stream is full, this socket is not read either.
      if (terminal.input(message.data) === 'wait' && !ws.isPaused) {
        ws.pause();
        terminal.whenInputDrains(() => {
          if (ws.readyState === WebSocket.OPEN) ws.resume();
        });
      }
    } else if (message.type === 'resize') terminal.resize(message.cols, message.rows);
    else terminal.ack(message.bytes);
  }
}

/** The request target as a URL, or undefined when it is not an origin-form path (`//a:99999/`, `*`). */
function parseRequestUrl(target: string | undefined): URL | undefined {
  if (targetRefusal(target)) return undefined;
  try {
    return new URL(target!, 'http://keiko.invalid');
  } catch {
    return undefined;
  }
}

function rawLength(data: RawData): number {
  if (Array.isArray(data)) return data.reduce((sum, part) => sum + part.length, 0);
  return data instanceof ArrayBuffer ? data.byteLength : data.length;
}
