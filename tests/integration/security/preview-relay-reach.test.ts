// Attack: use the preview relay (docs/preview.md) to reach what the sandbox itself cannot: the host's
// services, another learner's sandbox, or a port number that is not one (0, 65536, -1, 80.5).
// Defence: every relayed connection is a forwarder in the session's own probe container, which shares
// only the lab's network namespace: it connects to 127.0.0.1:<port> there, where nothing but the
// session's own loopback exists; ports are checked as whole numbers 1-65535 before any Docker call.
// The relay also carries bytes exactly (TLS passes through it) and ends with the session.
import { randomBytes } from 'node:crypto';
import net from 'node:net';
import type { Duplex } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SandboxSession } from '@/sandbox';
import { sandboxFixture, startLab, type SandboxFixture } from '../../support/sandbox';

let fixture: SandboxFixture;
let lab: SandboxSession;
let other: SandboxSession;
let hostServer: net.Server;
let hostPort: number;

/** A Python echo server (or a fixed answer) on 127.0.0.1:<port> in a session, started in the background. */
async function serve(session: SandboxSession, port: number, script: string): Promise<void> {
  await fixture.manager.exec(session.id, {
    argv: [
      'bash',
      '-c',
      `cat > /tmp/srv-${port}.py && (nohup python3 /tmp/srv-${port}.py ${port} < /dev/null > /tmp/srv-${port}.log 2>&1 &)`,
    ],
    stdin: script,
  });
  for (let i = 0; i < 50; i += 1) {
    const probe = await fixture.manager.exec(session.id, {
      argv: ['bash', '-c', `exec 3<>/dev/tcp/127.0.0.1/${port} && echo up`],
      timeoutMs: 2_000,
    });
    if (probe.stdout.includes('up')) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`the test server on ${port} did not start`);
}

const ECHO = `
import socket, sys
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(('127.0.0.1', int(sys.argv[1]))); s.listen(8)
while True:
    c, _ = s.accept()
    while True:
        data = c.recv(65536)
        if not data: break
        c.sendall(data)
    c.shutdown(socket.SHUT_WR); c.close()
`;
const NAMED = `
import socket, sys
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(('127.0.0.1', int(sys.argv[1]))); s.listen(8)
while True:
    c, _ = s.accept(); c.sendall(b'other sandbox\\n'); c.close()
`;

function collect(stream: Duplex): Promise<Buffer> {
  const chunks: Buffer[] = [];
  stream.on('data', (chunk: Buffer) => chunks.push(chunk));
  return new Promise((resolve, reject) => {
    stream.on('end', () => resolve(Buffer.concat(chunks)));
    stream.on('error', reject);
  });
}

beforeAll(async () => {
  fixture = sandboxFixture();
  [lab, other] = await Promise.all([startLab(fixture), startLab(fixture)]);
  hostServer = net.createServer((socket) => socket.end('host service\n'));
  await new Promise<void>((resolve) => hostServer.listen(0, '0.0.0.0', resolve));
  hostPort = (hostServer.address() as net.AddressInfo).port;
  await Promise.all([serve(lab, 9100, ECHO), serve(other, 9200, NAMED)]);
});
afterAll(async () => {
  hostServer?.close();
  await fixture?.dispose();
});

describe('the preview relay into a sandbox', () => {
  it('carries bytes exactly, both ways, with a half-close (1 MiB of random bytes echoed)', async () => {
    const stream = await fixture.manager.openPort(lab.id, 9100);
    const sent = randomBytes(1024 * 1024);
    const received = collect(stream);
    stream.end(sent);
    const got = await received;
    const firstDifference = got.findIndex((byte, i) => byte !== sent[i]);
    expect({ length: got.length, firstDifference }).toEqual({ length: sent.length, firstDifference: -1 });
  });

  it('answers "nothing listens" for a port with no server, before any byte is relayed', async () => {
    await expect(fixture.manager.openPort(lab.id, 9101)).rejects.toMatchObject({
      name: 'PortUnreachableError',
      code: 'ECONNREFUSED',
      message: 'nothing listens on port 9101 in the sandbox',
    });
  });

  it("cannot reach the host's services: the port is the sandbox's own loopback", async () => {
    // The host listens on 0.0.0.0:<hostPort>; the relay's 127.0.0.1:<hostPort> is the sandbox's.
    await expect(fixture.manager.openPort(lab.id, hostPort)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  });

  it("cannot reach another sandbox's server, which its own session reaches", async () => {
    await expect(fixture.manager.openPort(lab.id, 9200)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    const own = await fixture.manager.openPort(other.id, 9200);
    own.end();
    expect((await collect(own)).toString()).toBe('other sandbox\n');
  });

  it.each([0, 65_536, -1, 80.5, Number.NaN])('refuses port %s before any Docker call', async (port) => {
    await expect(fixture.manager.openPort(lab.id, port)).rejects.toThrow(/port must be a whole number/);
  });

  it('ends with the session: an open relay closes when the session stops', async () => {
    const stream = await fixture.manager.openPort(lab.id, 9100);
    const closed = new Promise<void>((resolve) => stream.once('close', () => resolve()));
    stream.resume();
    await fixture.manager.stop(lab.id, 'test: relays end with the session');
    await closed;
    expect(stream.destroyed).toBe(true);
  });
});
