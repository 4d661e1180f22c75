// A learner's session on the real engine: created hardened, usable (exec, files, processes, a
// terminal), recorded in the store, and gone without a trace when stopped.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  FileNotFoundError,
  FileTooLargeError,
  NotARegularFileError,
  SessionNotFoundError,
  type SandboxSession,
} from '@/sandbox';
import { leftovers, sandboxFixture, startLab, type SandboxFixture } from '../../support/sandbox';

let fixture: SandboxFixture;
let session: SandboxSession;

beforeAll(async () => {
  fixture = sandboxFixture();
  session = await startLab(fixture);
});
afterAll(() => fixture.dispose());

describe('a lab session', () => {
  it('is ready, recorded in the store, and expires at its maximum lifetime', () => {
    expect(session.status).toBe('ready');
    expect(session.id).toMatch(/^s_[A-Za-z0-9]{16}$/);
    const record = fixture.store.sessions.get(session.id);
    expect(record).toMatchObject({ status: 'ready', labId: 'test-lab', ownerId: 'learner-test' });
    expect(record?.containers.lab).toBeDefined();
    expect(record?.containers.probe).toBeDefined();
    expect(session.expiresAt.getTime() - session.createdAt.getTime()).toBe(session.limits.maxLifetimeMs);
  });

  it('runs a command as the learner with stdout, stderr and exit code apart', async () => {
    const result = await fixture.manager.exec(session.id, {
      argv: ['sh', '-c', 'id -un; echo oops >&2; exit 3'],
    });
    expect(result).toMatchObject({
      exitCode: 3,
      stdout: 'learner\n',
      stderr: 'oops\n',
      timedOut: false,
      truncated: false,
    });
  });

  it('keeps the files the image put in the writable places', async () => {
    const result = await fixture.manager.exec(session.id, {
      argv: ['sh', '-c', 'ls -A /home/learner; stat -c %U /home/learner/app'],
    });
    expect(result.stdout).toMatch(/\.bashrc/);
    expect(result.stdout).toMatch(/^app$/m);
    expect(result.stdout).toMatch(/^learner$/m);
  });

  it("gives each writable place the image's owner and mode, seeded or not (/tmp stays root's 1777)", async () => {
    const result = await fixture.manager.exec(session.id, {
      argv: ['stat', '-c', '%n %U %a', '/home/learner', '/tmp', '/run/mysqld'],
    });
    expect(result.stdout).toBe('/home/learner learner 755\n/tmp root 1777\n/run/mysqld learner 755\n');
    const written = await fixture.manager.exec(session.id, {
      argv: ['sh', '-c', 'echo x > /tmp/x && cat /tmp/x'],
    });
    expect(written.stdout).toBe('x\n');
  });

  it('reports a command that runs past its time as timed out, and kills it', async () => {
    const result = await fixture.manager.exec(session.id, { argv: ['sleep', '30'], timeoutMs: 1000 });
    expect(result.timedOut).toBe(true);
    expect(result.exitCode).toBeNull();
    const ps = await fixture.manager.processes(session.id);
    expect(ps.some((process) => process.command.startsWith('sleep 30'))).toBe(false);
  });

  it('cuts output past the cap and says so', async () => {
    const result = await fixture.manager.exec(session.id, {
      argv: ['sh', '-c', 'head -c 3000000 /dev/zero | tr "\\0" a'],
    });
    expect(result.truncated).toBe(true);
    expect(result.stdout.length).toBe(session.limits.execOutputMaxBytes);
  });

  it('writes and reads files through the engine, owned by the learner', async () => {
    await fixture.manager.writeFile(session.id, '/home/learner/app/hello.py', Buffer.from('print("hi")\n'));
    const back = await fixture.manager.readFile(session.id, '/home/learner/app/hello.py');
    expect(back.toString()).toBe('print("hi")\n');
    const owner = await fixture.manager.exec(session.id, {
      argv: ['stat', '-c', '%U %a', '/home/learner/app/hello.py'],
    });
    expect(owner.stdout.trim()).toBe('learner 644');
  });

  it('answers a missing file, a folder and a file over 1 MiB with distinct errors', async () => {
    await expect(fixture.manager.readFile(session.id, '/home/learner/nope.txt')).rejects.toBeInstanceOf(
      FileNotFoundError,
    );
    await expect(fixture.manager.readFile(session.id, '/home/learner/app')).rejects.toBeInstanceOf(
      NotARegularFileError,
    );
    await fixture.manager.exec(session.id, {
      argv: ['sh', '-c', 'head -c 2000000 /dev/zero > /home/learner/big.bin'],
    });
    await expect(fixture.manager.readFile(session.id, '/home/learner/big.bin')).rejects.toBeInstanceOf(
      FileTooLargeError,
    );
    await expect(
      fixture.manager.writeFile(session.id, '/home/learner/x', Buffer.alloc(1024 * 1024 + 1)),
    ).rejects.toBeInstanceOf(FileTooLargeError);
  });

  it('lists processes from the engine, with owner, parent and terminal', async () => {
    const processes = await fixture.manager.processes(session.id);
    const sleeper = processes.find((process) => process.command === 'sleep infinity');
    expect(sleeper).toMatchObject({ uid: 1000, tty: '?' });
    expect(processes.find((process) => process.pid === sleeper?.ppid)?.command).toMatch(/docker-init|tini/);
  });

  it('opens a terminal whose shell runs in the lab, with the size it was given', async () => {
    const shell = await fixture.manager.openShell(session.id, { cols: 100, rows: 30 });
    let output = '';
    shell.onData((chunk) => (output += chunk.toString()));
    shell.write('stty size; echo $((6*7))\r');
    await expect.poll(() => output, { timeout: 10_000 }).toMatch(/30 100[\s\S]*42/);
    await shell.resize(120, 40);
    shell.write('stty size\r');
    await expect.poll(() => output, { timeout: 10_000 }).toMatch(/40 120/);
    shell.close();
  });

  it('runs the probe beside the lab: same localhost, its own tools', async () => {
    await fixture.manager.exec(session.id, {
      argv: ['sh', '-c', 'python3 -m http.server 8080 >/dev/null 2>&1 & sleep 1'],
    });
    const probe = await fixture.manager.exec(session.id, {
      in: 'probe',
      argv: ['curl', '-sS', '-o', '/dev/null', '-w', '%{http_code}', 'http://127.0.0.1:8080/'],
    });
    expect(probe.stdout).toBe('200');
    const whoami = await fixture.manager.exec(session.id, { in: 'probe', argv: ['id', '-un'] });
    expect(whoami.stdout.trim()).toBe('probe');
  });

  it('is gone, containers and volumes, once stopped; later calls say it is not live', async () => {
    const other = await startLab(fixture);
    expect(await leftovers(fixture.runtime, other.id)).toBeGreaterThan(0);
    await fixture.manager.stop(other.id);
    expect(await leftovers(fixture.runtime, other.id)).toBe(0);
    expect(fixture.store.sessions.get(other.id)).toMatchObject({
      status: 'stopped',
      endReason: 'stopped by its owner',
    });
    await expect(fixture.manager.exec(other.id, { argv: ['true'] })).rejects.toBeInstanceOf(
      SessionNotFoundError,
    );
  });
});
