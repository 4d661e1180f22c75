// Attack: reach something from a lab: the internet, the host's services (the server holds the Docker
// socket), or another learner's lab. Defence: the lab's network namespace has loopback only (Docker
// network "none"); there is no route anywhere, so a connection fails before a packet leaves. (A Docker
// --internal network is not enough: its containers reach every host service on 0.0.0.0 through the
// gateway address.) This test sends packets only to loopback, the host's own bridge addresses and the
// session's own containers.
import net from 'node:net';
import os from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SandboxSession } from '@/sandbox';
import { sandboxFixture, startLab, type SandboxFixture } from '../../support/sandbox';

let fixture: SandboxFixture;
let lab: SandboxSession;
let other: SandboxSession;
let hostServer: net.Server;
let hostPort: number;

/** This machine's own addresses (the Docker bridge's among them), never another host's. */
function hostAddresses(): string[] {
  return Object.values(os.networkInterfaces())
    .flat()
    .filter((address) => address?.family === 'IPv4')
    .map((address) => address!.address);
}

function tryConnect(session: SandboxSession, host: string, port: number) {
  return fixture.manager.exec(session.id, {
    argv: ['bash', '-c', `exec 3<>/dev/tcp/${host}/${port} && echo connected`],
    timeoutMs: 5_000,
  });
}

beforeAll(async () => {
  fixture = sandboxFixture();
  [lab, other] = await Promise.all([startLab(fixture), startLab(fixture)]);
  hostServer = net.createServer((socket) => socket.end('host service\n'));
  await new Promise<void>((resolve) => hostServer.listen(0, '0.0.0.0', resolve));
  hostPort = (hostServer.address() as net.AddressInfo).port;
});
afterAll(async () => {
  hostServer.close();
  await fixture.dispose();
});

describe('network isolation', () => {
  it('the lab has no network interface but loopback', async () => {
    const result = await fixture.manager.exec(lab.id, { argv: ['ls', '/sys/class/net'] });
    expect(result.stdout.trim().split(/\s+/)).toEqual(['lo']);
    const routes = await fixture.manager.exec(lab.id, { argv: ['cat', '/proc/net/route'] });
    expect(routes.stdout.trim().split('\n')).toHaveLength(1); // the header alone: no route at all
  });

  it("the host's services are unreachable by every host address, including the bridge gateway", async () => {
    const addresses = hostAddresses().filter((address) => !address.startsWith('127.'));
    expect(addresses.length).toBeGreaterThan(0);
    for (const address of addresses) {
      const result = await tryConnect(lab, address, hostPort);
      expect(result.stdout, address).not.toMatch(/connected/);
      expect(result.stderr, address).toMatch(/Network is unreachable/);
    }
  });

  it("loopback is the lab's own: the host's loopback service is not there", async () => {
    const result = await tryConnect(lab, '127.0.0.1', hostPort);
    expect(result.stderr).toMatch(/Connection refused/);
  });

  it('loopback works inside the lab, on a low port bound by the unprivileged learner', async () => {
    await fixture.manager.exec(lab.id, {
      argv: ['sh', '-c', 'python3 -m http.server 80 >/dev/null 2>&1 & sleep 1'],
    });
    const result = await fixture.manager.exec(lab.id, {
      argv: ['curl', '-sS', '-o', '/dev/null', '-w', '%{http_code}', 'http://127.0.0.1:80/'],
    });
    expect(result.stdout).toBe('200');
  });

  it("session B's server is invisible to session A", async () => {
    await fixture.manager.exec(other.id, {
      argv: ['sh', '-c', 'python3 -m http.server 8081 >/dev/null 2>&1 & sleep 1'],
    });
    const fromOther = await tryConnect(other, '127.0.0.1', 8081);
    expect(fromOther.stdout).toMatch(/connected/);
    const fromLab = await tryConnect(lab, '127.0.0.1', 8081);
    expect(fromLab.stderr).toMatch(/Connection refused/);
  });

  it('names do not resolve to anything outside', async () => {
    const result = await fixture.manager.exec(lab.id, {
      argv: ['getent', 'hosts', 'example.com'],
      timeoutMs: 5_000,
    });
    expect(result.exitCode).not.toBe(0);
  });
});
