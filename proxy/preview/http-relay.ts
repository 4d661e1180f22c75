import http from 'node:http';
import type { Duplex } from 'node:stream';
import { backwardHeaders, forwardHeaders, type HeaderRewrite } from './forward-headers';

/** One port of one sandbox as the relay sees it. */
export interface RelayTarget {
  rewrite: Omit<HeaderRewrite, 'upgrade'>;
  /** Keeps connections into the sandbox between requests (see StreamAgent). */
  agent: http.Agent;
  /** A new connection into the sandbox, counted and paced (for upgrades). */
  openStream(): Promise<Duplex>;
}

/**
 * An `http.Agent` whose connections are byte streams into a sandbox rather than TCP sockets: Node's
 * HTTP client frames requests and responses, and keeps a connection for the next request, so a page
 * with ten images opens a few relayed connections, not ten.
 */
export class StreamAgent extends http.Agent {
  constructor(
    private readonly open: () => Promise<Duplex>,
    options: http.AgentOptions,
  ) {
    super(options);
  }

  override createConnection(
    _options: unknown,
    callback?: (error: Error | null, stream: Duplex) => void,
  ): Duplex | null | undefined {
    this.open().then(
      (stream) => callback?.(null, stream),
      (error: Error) => callback?.(error, undefined as unknown as Duplex),
    );
    return undefined;
  }
}

/** A short HTML answer from the relay itself (never the platform's pages). */
export function relayError(res: http.ServerResponse, status: number, message: string): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const body = `<!doctype html><meta charset="utf-8"><title>${status}</title><p>${escapeHtml(message)}</p>\n`;
  res.writeHead(status, {
    'content-type': 'text/html; charset=utf-8',
    'content-length': Buffer.byteLength(body),
    'cache-control': 'no-store',
  });
  res.end(body);
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Relays one request to the learner's server and its answer back, streaming both bodies. */
export function relayRequest(req: http.IncomingMessage, res: http.ServerResponse, target: RelayTarget): void {
  const headers = forwardHeaders(req.rawHeaders, { ...target.rewrite, upgrade: false });
  const upstream = http.request({
    agent: target.agent,
    method: req.method,
    path: req.url,
    headers: Object.fromEntries(mergeHeaders(headers)),
    setHost: false,
  });
  upstream.on('response', (answer) => {
    res.writeHead(answer.statusCode ?? 502, answer.statusMessage, backwardHeaders(answer.rawHeaders));
    answer.pipe(res);
    answer.on('error', () => res.destroy());
  });
  upstream.on('error', (error: Error & { statusCode?: number }) =>
    relayError(res, error.statusCode ?? 502, error.message),
  );
  res.on('close', () => {
    if (!res.writableFinished) upstream.destroy();
  });
  req.pipe(upstream);
}

/** Relays an upgrade (a WebSocket) as bytes once its request head is rewritten. */
export async function relayUpgrade(
  req: http.IncomingMessage,
  socket: Duplex,
  head: Buffer,
  target: RelayTarget,
): Promise<void> {
  let upstream: Duplex;
  try {
    upstream = await target.openStream();
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    socket.end(
      `HTTP/1.1 502 Bad Gateway\r\nContent-Type: text/plain\r\nConnection: close\r\nContent-Length: ${Buffer.byteLength(message) + 1}\r\n\r\n${message}\n`,
    );
    return;
  }
  const lines = [`${req.method} ${req.url} HTTP/1.1`];
  for (const [name, value] of forwardHeaders(req.rawHeaders, { ...target.rewrite, upgrade: true }))
    lines.push(`${name}: ${value}`);
  upstream.write(`${lines.join('\r\n')}\r\n\r\n`);
  if (head.length > 0) upstream.write(head);
  pipeBoth(socket, upstream);
}

/** Copies bytes both ways with back-pressure; when either side fails or closes, both are closed. */
export function pipeBoth(a: Duplex, b: Duplex): void {
  const close = () => {
    a.destroy();
    b.destroy();
  };
  a.on('error', close);
  b.on('error', close);
  a.on('close', close);
  b.on('close', close);
  a.pipe(b);
  b.pipe(a);
}

/** Header pairs to an object, joining repeats as HTTP allows (cookies with `; `). */
function mergeHeaders(pairs: [string, string][]): Map<string, string> {
  const merged = new Map<string, string>();
  const names = new Map<string, string>();
  for (const [name, value] of pairs) {
    const lower = name.toLowerCase();
    const key = names.get(lower) ?? name;
    names.set(lower, key);
    const before = merged.get(key);
    merged.set(key, before === undefined ? value : `${before}${lower === 'cookie' ? '; ' : ', '}${value}`);
  }
  return merged;
}
