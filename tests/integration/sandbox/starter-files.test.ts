// A lab's starter tree lands in the workdir as the learner's: files in sub-folders too, the folders
// made for them, executable files kept executable.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LAB_IMAGE, sandboxFixture, type SandboxFixture } from '../../support/sandbox';

let fixture: SandboxFixture;
beforeAll(() => {
  fixture = sandboxFixture();
});
afterAll(() => fixture?.dispose());

describe('starter files', () => {
  it('writes a tree with sub-folders into the workdir, owned by the learner', async () => {
    const session = await fixture.manager.start({
      labId: 'starter-test',
      image: LAB_IMAGE,
      ownerId: 'learner-test',
      workdir: '/home/learner/app',
      files: [
        { path: '/home/learner/app/app.py', content: Buffer.from('print("hi")\n'), mode: 0o644 },
        { path: '/home/learner/app/views/index.tpl', content: Buffer.from('<p>{{name}}</p>\n'), mode: 0o644 },
        { path: '/home/learner/app/bin/run.sh', content: Buffer.from('#!/bin/sh\necho ran\n'), mode: 0o755 },
      ],
    });
    const listed = await fixture.manager.exec(session.id, {
      argv: [
        'bash',
        '-c',
        'cd /home/learner/app && stat -c "%U %a %n" app.py views views/index.tpl bin/run.sh && ./bin/run.sh && cat views/index.tpl',
      ],
    });
    expect(listed.exitCode, listed.stderr).toBe(0);
    expect(listed.stdout).toBe(
      'learner 644 app.py\nlearner 755 views\nlearner 644 views/index.tpl\nlearner 755 bin/run.sh\nran\n<p>{{name}}</p>\n',
    );
    // Unpacked in the same archive as the image's content of /home/learner: that is still there.
    const home = await fixture.manager.exec(session.id, {
      argv: ['stat', '-c', '%U %a %n', '/home/learner', '/home/learner/.bashrc'],
    });
    expect(home.stdout).toBe('learner 755 /home/learner\nlearner 644 /home/learner/.bashrc\n');
    await fixture.manager.stop(session.id);
  });
});
