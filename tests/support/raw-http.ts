import net from 'node:net';

export interface RawAnswer {
  /** Everything the server sent. */
  text: string;
  /** The status of its first line, or undefined when it sent none. */
  status: number | undefined;
  /** Whether the server closed the connection before `waitMs` ran out. */
  closed: boolean;
  ms: number;
}

/**
 * Sends bytes exactly as given (a malformed request a real client library would refuse to make) and
 * reports what came back and whether the server closed the connection within `waitMs`.
 */
export function rawRequest(port: number, bytes: string | Buffer, waitMs = 1_000): Promise<RawAnswer> {
  return new Promise((resolve) => {
    const started = Date.now();
    const socket = net.connect(port, '127.0.0.1');
    let text = '';
    let done = false;
    const finish = (closed: boolean) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.destroy();
      const status = /^HTTP\/1\.[01] (\d{3})/.exec(text)?.[1];
      resolve({ text, status: status ? Number(status) : undefined, closed, ms: Date.now() - started });
    };
    const timer = setTimeout(() => finish(false), waitMs);
    socket.on('data', (chunk) => (text += chunk.toString('latin1')));
    socket.on('error', () => finish(true));
    socket.on('close', () => finish(true));
    socket.write(bytes);
  });
}

/** A WebSocket upgrade request for `target`, with extra header lines (each ending in \r\n). */
export function upgradeRequest(target: string, port: number, extra = '', host = `127.0.0.1:${port}`): string {
  return (
    `GET ${target} HTTP/1.1\r\nHost: ${host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
    `Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n${extra}\r\n`
  );
}

/** What an unhandled error looks like in a server log. */
export const CRASH_IN_LOG = /uncaughtException|unhandledRejection|URIError|TypeError|\n\s+at .+:\d+:\d+/;
