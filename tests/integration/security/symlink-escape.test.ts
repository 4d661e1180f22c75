// Attack: plant a symlink where the platform reads or writes a file (judge0 CVE-2024-28185/28189),
// so that the platform reads /etc/shadow or writes over a file outside the learner's places.
// Defence: files move through the engine's archive API, which resolves paths inside the container's
// own root; a path that is a link is refused for reading, and replaced, not followed, when written.
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NotARegularFileError, type LabSession } from '@/sandbox';
import { sandboxFixture, startLab, type SandboxFixture } from '../../support/sandbox';

let fixture: SandboxFixture;
let session: LabSession;

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

  it('relative paths and .. are refused before the engine is asked', async () => {
    await expect(fixture.manager.readFile(session.id, '/home/learner/../../etc/passwd')).rejects.toThrow(
      /not a normalized absolute path/,
    );
    await expect(fixture.manager.readFile(session.id, 'etc/passwd')).rejects.toThrow(
      /not a normalized absolute path/,
    );
  });
});
