/**
 * Telling protocols apart on one port from a connection's first bytes, so one port serves what hprox
 * serves on one port: TLS or plain HTTP (answered with a redirect) on the TLS port, and HTTP/1.1 or
 * HTTP/2 with prior knowledge (h2c) on a plain port.
 */
import type net from 'node:net';

/** RFC 9113 §3.4: every prior-knowledge HTTP/2 connection starts with these 24 bytes. */
export const HTTP2_PREFACE = Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n', 'latin1');
const TLS_HANDSHAKE_RECORD = 0x16;

export type Sniffed = 'tls' | 'h2c' | 'http1';

/** What the bytes seen so far are, or undefined when more are needed to tell. */
export function classify(bytes: Buffer): Sniffed | undefined {
  if (bytes.length === 0) return undefined;
  if (bytes[0] === TLS_HANDSHAKE_RECORD) return 'tls';
  const compared = Math.min(bytes.length, HTTP2_PREFACE.length);
  if (!bytes.subarray(0, compared).equals(HTTP2_PREFACE.subarray(0, compared))) return 'http1';
  return compared === HTTP2_PREFACE.length ? 'h2c' : undefined;
}

/**
 * Reads until the protocol is known, puts the bytes back, and hands the socket over. A client that
 * says nothing for timeoutMs is dropped: an idle connection must not cost more than a socket.
 */
export function sniffSocket(
  socket: net.Socket,
  timeoutMs: number,
  onKnown: (kind: Sniffed, socket: net.Socket) => void,
): void {
  let seen: Buffer = Buffer.alloc(0);
  const onData = (chunk: Buffer): void => {
    seen = seen.length ? Buffer.concat([seen, chunk]) : chunk;
    const kind = classify(seen);
    if (!kind) return;
    socket.removeListener('data', onData);
    socket.removeListener('timeout', onTimeout);
    socket.setTimeout(0);
    socket.pause();
    socket.unshift(seen);
    onKnown(kind, socket);
  };
  const onTimeout = (): void => {
    socket.destroy();
  };
  socket.setTimeout(timeoutMs);
  socket.on('timeout', onTimeout);
  socket.on('data', onData);
  socket.on('error', () => socket.destroy());
}
