// Attack: plant a symlink where the platform reads or writes a file (judge0 CVE-2024-28185/28189),
// so that the platform reads /etc/shadow or writes over a file outside the learner's places; or swap
// a parent folder for a link between the platform's permission check and its access (issue 11, #10).
// Defence: files are read and written by one exec as the learner (uid 1000) in the lab, so no link
// reaches anything the learner's own shell could not; a path that is itself a link is refused for
// reading, and replaced, not followed, when written.
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FilePermissionError, NotARegularFileError, type SandboxSession } from '@/sandbox';
import { sandboxFixture, startLab, type SandboxFixture } from '../../support/sandbox';

let fixture: SandboxFixture;
let session: SandboxSession;

beforeAll(async () => {
  fixture = sandboxFixture();
  session = await startLab(fixture);
});
afterAll(() => fixture.dispose());

const sh = (script: string) => fixture.manager.exec(session.id, { argv: ['sh', '-c', script] });

describe('symlinks planted by the learner', () => {
  it('reading a link to a system file is refused, not followed', async () => {
    await sh(
      'ln -sf /etc/shadow /home/learner/app/notes.txt; ln -sf /proc/1/environ /home/learner/app/env.txt',
    );
    await expect(fixture.manager.readFile(session.id, '/home/learner/app/notes.txt')).rejects.toBeInstanceOf(
      NotARegularFileError,
    );
    await expect(fixture.manager.readFile(session.id, '/home/learner/app/env.txt')).rejects.toBeInstanceOf(
      NotARegularFileError,
    );
  });

  it('writing to a link replaces the link with a file and leaves its target alone', async () => {
    const hostPasswd = fs.readFileSync('/etc/passwd', 'utf8');
    await sh('ln -sf /etc/passwd /home/learner/app/config.txt');
    await fixture.manager.writeFile(session.id, '/home/learner/app/config.txt', Buffer.from('mine\n'));
    const after = await sh(
      'test -L /home/learner/app/config.txt && echo link || cat /home/learner/app/config.txt; head -1 /etc/passwd',
    );
    expect(after.stdout).toBe('mine\nroot:x:0:0:root:/root:/bin/bash\n');
    expect(fs.readFileSync('/etc/passwd', 'utf8')).toBe(hostPasswd);
  });

  it('a linked folder resolves inside the container, where the system folders are read-only', async () => {
    await sh('ln -sfn /etc /home/learner/app/etc-link');
    await expect(
      fixture.manager.writeFile(session.id, '/home/learner/app/etc-link/evil.conf', Buffer.from('x')),
    ).rejects.toThrow();
    const check = await sh('test -e /etc/evil.conf && echo present || echo absent');
    expect(check.stdout).toBe('absent\n');
    expect(fs.existsSync('/etc/evil.conf')).toBe(false);
  });

  it('a folder swapped for a link to /etc reads only what the learner may: /etc/shadow is refused', async () => {
    await sh(
      'mkdir -p /home/learner/app/conf && rm -rf /home/learner/app/conf && ln -sfn /etc /home/learner/app/conf',
    );
    await expect(
      fixture.manager.readFile(session.id, '/home/learner/app/conf/shadow'),
    ).rejects.toBeInstanceOf(FilePermissionError);
    // What the learner can read anyway stays readable: the platform reads exactly as they do.
    const passwd = await fixture.manager.readFile(session.id, '/home/learner/app/conf/passwd');
    expect(passwd.toString()).toMatch(/^root:x:0:0:/);
  });

  it('a file written through the platform is charged to the lab: it fills the lab’s own disk budget', async () => {
    await expect(
      fixture.manager.writeFile(session.id, '/home/learner/app/ok.txt', Buffer.alloc(512 * 1024, 'a')),
    ).resolves.toBeUndefined();
    const owner = await sh('stat -c %u:%a /home/learner/app/ok.txt');
    expect(owner.stdout.trim()).toBe('1000:644');
  });

  it('relative paths and .. are refused before the engine is asked', async () => {
    await expect(fixture.manager.readFile(session.id, '/home/learner/../../etc/passwd')).rejects.toThrow(
      /not a normalized absolute path/,
    );
    await expect(fixture.manager.readFile(session.id, 'etc/passwd')).rejects.toThrow(
      /not a normalized absolute path/,
    );
  });
});
