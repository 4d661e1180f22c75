// Attack: gain privileges (setuid binaries, capabilities), reach the Docker socket (root on the
// host), read the host's files through a mount, or read secrets from the environment (judge0#564).
// Defence: a non-root learner, every capability dropped, no-new-privileges, the default seccomp
// profile, no socket, no host path, an environment Keiko writes itself.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WRITABLE_PATHS_LABEL, type SandboxSession } from '@/sandbox';
import { LAB_IMAGE, sandboxFixture, startLab, type SandboxFixture } from '../../support/sandbox';

let fixture: SandboxFixture;
let session: SandboxSession;
const SECRET = 'keiko-test-secret-value-9f3a';

beforeAll(async () => {
  process.env.KEIKO_TEST_SECRET = SECRET; // a secret in the server's own environment must not leak
  fixture = sandboxFixture();
  session = await startLab(fixture);
});
afterAll(async () => {
  delete process.env.KEIKO_TEST_SECRET;
  await fixture.dispose();
});

function status(text: string, field: string): string | undefined {
  return new RegExp(`^${field}:\\s*(\\S+)`, 'm').exec(text)?.[1];
}

describe('privileges', () => {
  it('the learner has no capabilities, cannot gain any, and runs under seccomp', async () => {
    const result = await fixture.manager.exec(session.id, { argv: ['cat', '/proc/self/status'] });
    expect(status(result.stdout, 'CapEff')).toBe('0000000000000000');
    expect(status(result.stdout, 'CapPrm')).toBe('0000000000000000');
    expect(status(result.stdout, 'NoNewPrivs')).toBe('1');
    expect(status(result.stdout, 'Seccomp')).toBe('2');
    expect(status(result.stdout, 'Uid')).toBe('1000');
  });

  it('the same holds in the interactive shell', async () => {
    const shell = await fixture.manager.openShell(session.id, { cols: 80, rows: 24 });
    let output = '';
    shell.onData((chunk) => (output += chunk.toString()));
    shell.write("grep -E '^(CapEff|NoNewPrivs)' /proc/self/status; id -u\r");
    await expect
      .poll(() => output, { timeout: 10_000 })
      .toMatch(/CapEff:\s+0{16}[\s\S]*NoNewPrivs:\s+1[\s\S]*\n1000/);
    shell.close();
  });

  it('even root in the lab (used by platform checks) holds no capability', async () => {
    const result = await fixture.manager.exec(session.id, {
      argv: ['cat', '/proc/self/status'],
      asRoot: true,
    });
    expect(status(result.stdout, 'Uid')).toBe('0');
    expect(status(result.stdout, 'CapEff')).toBe('0000000000000000');
  });

  it('setuid binaries do not raise privileges', async () => {
    const result = await fixture.manager.exec(session.id, {
      argv: ['sh', '-c', 'su -c id root </dev/null; mount -t tmpfs none /mnt'],
    });
    expect(result.exitCode).not.toBe(0);
    expect(result.stdout).not.toMatch(/uid=0/);
  });

  it('no Docker socket, no host path, no secret is visible', async () => {
    const socket = await fixture.manager.exec(session.id, {
      argv: [
        'sh',
        '-c',
        'ls -la /var/run/docker.sock /run/docker.sock 2>&1; find / -name "docker.sock" -xdev 2>/dev/null',
      ],
    });
    expect(socket.stdout).not.toMatch(/^s/m);
    expect(socket.stdout).toMatch(/No such file/);

    const mounts = await fixture.manager.exec(session.id, { argv: ['cat', '/proc/self/mountinfo'] });
    // From the host side: the three files Docker writes for every container and its init binary
    // (read-only); everything else is the lab's own tmpfs volumes.
    const binds = mounts.stdout
      .split('\n')
      .map((line) => line.split(' ')[4])
      .filter((target) => target && !/^\/(proc|sys|dev)(\/|$)/.test(target) && target !== '/');
    const image = await fixture.runtime.inspectImage(LAB_IMAGE);
    const writable = image?.labels[WRITABLE_PATHS_LABEL]?.split(' ') ?? [];
    const allowed = ['/etc/hostname', '/etc/hosts', '/etc/resolv.conf', '/usr/sbin/docker-init', ...writable];
    expect(writable).toContain('/home/learner');
    expect([...new Set(binds)].sort()).toEqual(allowed.sort());

    const env = await fixture.manager.exec(session.id, { argv: ['env'] });
    expect(env.stdout).not.toContain(SECRET);
    const names = env.stdout
      .trim()
      .split('\n')
      .map((line) => line.split('=')[0]);
    expect(
      names.every((name) => ['PATH', 'HOSTNAME', 'HOME', 'USER', 'LANG', 'PYTHONUNBUFFERED'].includes(name!)),
    ).toBe(true);
  });
});
