/** The request and response types the proxy serves: Node's HTTP/1.1 ones and the HTTP/2 compat ones. */
import type http from 'node:http';
import type http2 from 'node:http2';
import type { OutgoingHttpHeaders } from 'node:http';
import type { Writable } from 'node:stream';
import type tls from 'node:tls';

export type ServerRequestLike = http.IncomingMessage | http2.Http2ServerRequest;

/** What both response kinds share, written once against it. */
export interface ServerResponseLike extends Writable {
  writeHead(statusCode: number, headers?: OutgoingHttpHeaders): this;
  readonly headersSent: boolean;
  statusCode: number;
}

/** Facts about the client's connection, read from the socket (never from headers it sent). */
export interface ClientConnection {
  address: string | undefined;
  secure: boolean;
  /** `HTTP/2` or `HTTP/1.1` (`HTTP/1.0`), for the log. */
  protocol: string;
}

export function clientConnection(req: ServerRequestLike): ClientConnection {
  if ('stream' in req) {
    const session = req.stream.session;
    return {
      address: session?.socket?.remoteAddress,
      secure: session?.encrypted === true,
      protocol: 'HTTP/2',
    };
  }
  return {
    address: req.socket.remoteAddress,
    secure: (req.socket as tls.TLSSocket).encrypted === true,
    protocol: `HTTP/${req.httpVersion}`,
  };
}

/**
 * Whether the whole answer was handed over: ended by the proxy and flushed. An HTTP/2 response whose
 * stream the client reset closes with `writableFinished` true but `writableEnded` false, so neither
 * alone says it.
 */
export function responseCompleted(res: ServerResponseLike): boolean {
  return res.writableEnded && res.writableFinished;
}

/**
 * Whether the client can no longer be answered: its stream (HTTP/2) or socket (HTTP/1.1) is gone.
 * `Http2ServerResponse` has no `destroyed` of its own; its stream's state says it.
 */
export function clientGone(res: ServerResponseLike): boolean {
  if ('stream' in res) {
    const stream = (res as unknown as http2.Http2ServerResponse).stream;
    return stream.destroyed || stream.closed;
  }
  return res.destroyed;
}
