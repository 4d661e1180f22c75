// Attack: hold a sandbox's relay open from many connections, or push bytes through it as fast as the
// host allows, or keep relays alive after the session is gone (docs/preview.md, Limits).
// Defence: connections per session are capped (each is a process in the probe), one byte budget per
// session paces both directions, and the session's end closes its relays and TLS listeners.
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PreviewService } from '@/platform';
import type { SandboxSession } from '@/sandbox';
import { sandboxFixture, startLab, type SandboxFixture } from '../../support/sandbox';

let fixture: SandboxFixture;
let lab: SandboxSession;
let preview: PreviewService;
let listenPort: number;

const ECHO = `
import socket, sys, threading
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(('127.0.0.1', 9100)); s.listen(16)
def echo(c):
    while True:
        data = c.recv(65536)
        if not data: break
        c.sendall(data)
    c.close()
while True:
    c, _ = s.accept(); threading.Thread(target=echo, args=(c,), daemon=True).start()
`;

/** A client of the TLS listener (bytes only here): resolves with what came back once it closes. */
function client(): { socket: net.Socket; received: Promise<Buffer> } {
  const socket = net.connect(listenPort, '127.0.0.1');
  const chunks: Buffer[] = [];
  socket.on('data', (chunk: Buffer) => chunks.push(chunk));
  const received = new Promise<Buffer>((resolve) => socket.on('close', () => resolve(Buffer.concat(chunks))));
  socket.on('error', () => {});
  return { socket, received };
}

async function echoed(socket: net.Socket, text: string): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), 5_000);
    socket.once('data', (chunk: Buffer) => {
      clearTimeout(timer);
      resolve(chunk.toString() === text);
    });
    socket.write(text);
  });
}

beforeAll(async () => {
  fixture = sandboxFixture();
  lab = await startLab(fixture);
  await fixture.manager.exec(lab.id, {
    argv: [
      'bash',
      '-c',
      'cat > /tmp/echo.py && (nohup python3 /tmp/echo.py < /dev/null > /tmp/echo.log 2>&1 &)',
    ],
    stdin: ECHO,
  });
  await new Promise((resolve) => setTimeout(resolve, 1_500));
  preview = new PreviewService({
    sandboxes: fixture.manager,
    secret: Buffer.alloc(32, 1),
    previewUrl: 'http://*.localhost:3999',
    limits: {
      previewConnectionsPerSession: 2,
      previewBytesPerSecond: 128 * 1024,
      previewLinkTtlMs: 60_000,
      previewIdleMs: 60_000,
    },
    platformCookies: [],
  });
  ({ listenPort } = await preview.openTls(lab, 9100));
}, 120_000);
afterAll(async () => {
  preview?.close();
  await fixture?.dispose();
});

describe('preview limits', () => {
  it('refuses a connection past the per-session cap, and takes one again once another closes', async () => {
    const first = client();
    const second = client();
    expect(await echoed(first.socket, 'one')).toBe(true);
    expect(await echoed(second.socket, 'two')).toBe(true);
    expect(preview.openConnections(lab.id)).toBe(2);
    const third = client();
    expect((await third.received).length).toBe(0); // closed without a byte relayed
    first.socket.destroy();
    await first.received;
    await expect.poll(() => preview.openConnections(lab.id)).toBe(1);
    const fourth = client();
    expect(await echoed(fourth.socket, 'four')).toBe(true);
    second.socket.destroy();
    fourth.socket.destroy();
    await expect.poll(() => preview.openConnections(lab.id)).toBe(0);
  });

  it("paces a session's bytes: 256 KiB each way at 128 KiB/s takes at least 2.5 s", async () => {
    const { socket, received } = client();
    const started = performance.now();
    socket.write(Buffer.alloc(256 * 1024, 7));
    let got = 0;
    await new Promise<void>((resolve) =>
      socket.on('data', (chunk: Buffer) => {
        got += chunk.length;
        if (got >= 256 * 1024) resolve();
      }),
    );
    // A lower bound only: a cap can make a transfer slower, never faster (the machine's load cannot).
    expect(performance.now() - started).toBeGreaterThanOrEqual(2_500);
    socket.destroy();
    await received;
  }, 60_000);

  it('closes the TLS listener and its connections when the session ends', async () => {
    const open = client();
    expect(await echoed(open.socket, 'still here')).toBe(true);
    await fixture.manager.stop(lab.id, 'test: relays end with the session');
    await open.received;
    const refused = await new Promise<string>((resolve) => {
      const socket = net.connect(listenPort, '127.0.0.1');
      socket.on('connect', () => resolve('connected'));
      socket.on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? 'error'));
    });
    expect(refused).toBe('ECONNREFUSED');
  });
});
