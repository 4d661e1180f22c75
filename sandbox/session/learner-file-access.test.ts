import { createHash } from 'node:crypto';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS, type ExecInSessionOptions, type ExecResult, type SandboxSession } from '@/sandbox';
import {
  parseLearnerPath,
  parseStatOutput,
  readLearnerFile,
  writeLearnerFile,
  type LearnerFilesPort,
} from './learner-file-access';

const sha = (content: string | Buffer) => createHash('sha256').update(content).digest('hex');

interface FakeFile {
  content: Buffer;
  mode: number;
  kind?: 'file' | 'link' | 'other';
  readable?: boolean;
  writable?: boolean;
}

/**
 * A sandbox as the files API sees it: the learner's answers to the stat script (what the real script
 * prints is covered by tests/integration/platform/files-api.test.ts) and the archive reads and writes.
 */
class FakeSandbox implements LearnerFilesPort {
  readonly files = new Map<string, FakeFile>();
  readonly folders = new Map<string, { writable: boolean }>([
    ['/', { writable: false }],
    ['/etc', { writable: false }],
    ['/home/learner', { writable: true }],
    ['/home/learner/locked', { writable: false }],
  ]);
  readonly writablePlaces = ['/tmp', '/home/learner'];
  readonly writes: { path: string; content: string; mode?: number }[] = [];
  touched = 0;

  async exec(_id: string, options: ExecInSessionOptions): Promise<ExecResult> {
    const [filePath = '', max = '0'] = options.argv.slice(4);
    const file = this.files.get(filePath);
    const folder = this.folders.get(path.posix.dirname(filePath));
    const lines = [
      `kind=${file ? (file.kind ?? 'file') : this.folders.has(filePath) ? 'directory' : 'absent'}`,
    ];
    if (file && !file.kind) {
      lines.push(`mode=${file.mode.toString(8)}`, `size=${file.content.length}`);
      if (file.readable !== false && file.content.length <= Number(max)) {
        lines.push(`sha256=${createHash('sha256').update(file.content).digest('hex')}`);
      }
    }
    const readOnly = !this.writablePlaces.some((place) => filePath.startsWith(`${place}/`));
    lines.push(
      `readable=${file && file.readable !== false ? 1 : 0}`,
      `writable=${file && file.writable !== false && !readOnly ? 1 : 0}`,
      `folder=${folder ? 'directory' : 'absent'}`,
      `folderWritable=${folder?.writable && !readOnly ? 1 : 0}`,
      `readOnlyPlace=${readOnly ? 1 : 0}`,
      `writablePlaces=${this.writablePlaces.join(' ')}`,
    );
    return {
      exitCode: 0,
      stdout: `${lines.join('\n')}\n`,
      stderr: '',
      timedOut: false,
      truncated: false,
      durationMs: 1,
    };
  }

  async readFile(_id: string, filePath: string): Promise<Buffer> {
    const file = this.files.get(filePath);
    if (!file) throw Object.assign(new Error(`${filePath} does not exist`), { name: 'FileNotFoundError' });
    return file.content;
  }

  /** As the learner's `cat >` does: an existing file keeps its permission bits (the kernel drops
   * set-uid on a write), a new one is 0644. */
  async writeFile(_id: string, filePath: string, content: Buffer): Promise<void> {
    const existing = this.files.get(filePath);
    const mode = existing ? existing.mode & 0o777 : 0o644;
    this.writes.push({ path: filePath, content: content.toString(), mode });
    this.files.set(filePath, { content, mode });
  }

  touch(): void {
    this.touched += 1;
  }
}

const session: SandboxSession = {
  id: 's_test',
  labId: 'lab',
  ownerId: 'learner',
  status: 'ready',
  createdAt: new Date(),
  expiresAt: new Date(),
  idleExpiresAt: new Date(),
  limits: { ...DEFAULT_LIMITS, fileMaxBytes: 1024 },
};

type FileSpec = Partial<Omit<FakeFile, 'content'>> & { content: string | Buffer };

function sandboxWith(files: Record<string, FileSpec>) {
  const sandbox = new FakeSandbox();
  for (const [filePath, file] of Object.entries(files)) {
    sandbox.files.set(filePath, { mode: 0o644, ...file, content: Buffer.from(file.content) });
  }
  return sandbox;
}

/** The error a call was refused with: its class name, its reason when it has one, its message. */
async function refusal(
  promise: Promise<unknown>,
): Promise<{ name: string; reason?: string; message: string }> {
  const error = (await promise.then(
    () => {
      throw new Error('expected a refusal');
    },
    (caught: unknown) => caught,
  )) as Error & { reason?: string };
  return { name: error.name, message: error.message, ...(error.reason ? { reason: error.reason } : {}) };
}

const APP = '/home/learner/app.py';

describe('parseLearnerPath', () => {
  it('accepts absolute paths and tidies // and /./', () => {
    expect(parseLearnerPath('/home/learner/app.py')).toBe('/home/learner/app.py');
    expect(parseLearnerPath('/home//learner/./app.py')).toBe('/home/learner/app.py');
  });

  it.each([
    [null, /give the file as \?path=/],
    ['', /give the file as \?path=/],
    ['app.py', /must be absolute/],
    ['/home/learner/../../etc/passwd', /must not contain "\.\."/],
    ['/etc/pass\0wd', /NUL byte.*pass\\0wd/],
    ['/home/learner/', /names a folder/],
    ['/', /names a folder/],
    [`/${'a'.repeat(5000)}`, /longer than 4096/],
  ])('refuses %j with an InvalidPathError that says why', (raw, message) => {
    let caught: unknown;
    try {
      parseLearnerPath(raw);
    } catch (error) {
      caught = error;
    }
    expect(caught).toMatchObject({ name: 'InvalidPathError' });
    expect((caught as Error).message).toMatch(message);
  });
});

describe('parseStatOutput', () => {
  it('reads what the script prints in a sandbox', () => {
    const facts = parseStatOutput(
      'kind=file\nmode=755\nsize=12\nsha256=' +
        'a'.repeat(64) +
        '\nreadable=1\nwritable=0\nfolder=directory\nfolderWritable=1\nreadOnlyPlace=0\nwritablePlaces=/tmp /home/learner\n',
    );
    expect(facts).toEqual({
      kind: 'file',
      mode: 0o755,
      size: 12,
      sha256: 'a'.repeat(64),
      readable: true,
      writable: false,
      folder: 'directory',
      folderWritable: true,
      readOnlyPlace: false,
      writablePlaces: ['/tmp', '/home/learner'],
    });
  });
});

describe('parseStatOutput of a broken answer', () => {
  it('is a server error, not a ZodError the API would answer 422', () => {
    let caught: unknown;
    try {
      parseStatOutput('kind=file\n');
    } catch (error) {
      caught = error;
    }
    expect((caught as Error).name).toBe('Error');
    expect((caught as Error).message).toMatch(/unexpected answer about a path from the sandbox/);
  });
});

describe('readLearnerFile', () => {
  it('answers the bytes with their hash, and counts as activity', async () => {
    const sandbox = sandboxWith({ [APP]: { content: 'print(1)\n' } });
    const result = await readLearnerFile(sandbox, session, APP);
    expect(result).toMatchObject({ status: 'ok', sha256: sha('print(1)\n'), text: true });
    expect(sandbox.touched).toBe(1);
  });

  it('answers unchanged to a poll whose hash still matches, without reading or touching', async () => {
    const sandbox = sandboxWith({ [APP]: { content: 'print(1)\n' } });
    sandbox.readFile = () => Promise.reject(new Error('a poll of an unchanged file must not read it'));
    const result = await readLearnerFile(sandbox, session, APP, { unlessContent: [sha('print(1)\n')] });
    expect(result).toEqual({ status: 'unchanged', sha256: sha('print(1)\n') });
    expect(sandbox.touched).toBe(0);
  });

  it('answers the new content to a poll of a changed file', async () => {
    const sandbox = sandboxWith({ [APP]: { content: 'print(2)\n' } });
    const result = await readLearnerFile(sandbox, session, APP, { unlessContent: [sha('print(1)\n')] });
    expect(result).toMatchObject({ status: 'ok', sha256: sha('print(2)\n') });
  });

  it('labels bytes that are not UTF-8 text', async () => {
    const sandbox = sandboxWith({ [APP]: { content: Buffer.from([0xff, 0xfe, 0x00]) } });
    expect(await readLearnerFile(sandbox, session, APP)).toMatchObject({ status: 'ok', text: false });
  });

  it.each([
    ['an absent file', {}, '/home/learner/nope.py', 'FileNotFoundError', /does not exist/],
    ['a folder', {}, '/home/learner', 'NotARegularFileError', /is a folder/],
    ['a link', { [APP]: { content: '', kind: 'link' } }, APP, 'NotARegularFileError', /symbolic link/],
    [
      'an unreadable file',
      { [APP]: { content: 'x', readable: false } },
      APP,
      'FilePermissionError',
      /may not read/,
    ],
    [
      'a file over the limit',
      { [APP]: { content: 'x'.repeat(1025) } },
      APP,
      'FileTooLargeError',
      /1025 bytes/,
    ],
  ] as const)('refuses %s', async (_what, files, filePath, name, message) => {
    const found = await refusal(readLearnerFile(sandboxWith(files), session, filePath));
    expect(found.name).toBe(name);
    expect(found.message).toMatch(message);
  });
});

describe('writeLearnerFile', () => {
  it('writes as the learner, keeps the mode of the file it replaces, and answers the new hash', async () => {
    const sandbox = sandboxWith({ [APP]: { content: 'old\n', mode: 0o4755 } });
    const result = await writeLearnerFile(sandbox, session, APP, Buffer.from('new\n'), {
      ifContent: [sha('old\n')],
    });
    expect(result).toEqual({ sha256: sha('new\n'), created: false });
    expect(sandbox.writes).toEqual([{ path: APP, content: 'new\n', mode: 0o755 }]);
    expect(sandbox.touched).toBe(1);
  });

  it('creates a new file 0644, and "unless any content" refuses to replace one that appeared', async () => {
    const sandbox = sandboxWith({});
    expect(await writeLearnerFile(sandbox, session, APP, Buffer.from('a'), { unlessContent: '*' })).toEqual({
      sha256: sha('a'),
      created: true,
    });
    expect(sandbox.writes[0]?.mode).toBe(0o644);
    expect(
      await refusal(writeLearnerFile(sandbox, session, APP, Buffer.from('b'), { unlessContent: '*' })),
    ).toMatchObject({ name: 'PreconditionFailedError', reason: 'file_exists' });
  });

  it('refuses a stale content condition and writes nothing', async () => {
    const sandbox = sandboxWith({ [APP]: { content: 'changed in the terminal\n' } });
    const found = await refusal(
      writeLearnerFile(sandbox, session, APP, Buffer.from('mine'), { ifContent: [sha('old\n')] }),
    );
    expect(found).toMatchObject({ name: 'PreconditionFailedError', reason: 'changed_in_sandbox' });
    expect(found.message).toMatch(/changed in the sandbox since you opened it/);
    expect(sandbox.writes).toEqual([]);
  });

  it('"any content" matches whatever the file holds', async () => {
    const sandbox = sandboxWith({ [APP]: { content: 'old\n' } });
    await writeLearnerFile(sandbox, session, APP, Buffer.from('x'), { ifContent: '*' });
    expect(sandbox.writes).toHaveLength(1);
  });

  it('refuses a content condition on a file removed since it was opened', async () => {
    const found = await refusal(
      writeLearnerFile(sandboxWith({}), session, APP, Buffer.from('x'), { ifContent: [sha('x')] }),
    );
    expect(found).toMatchObject({ name: 'PreconditionFailedError', reason: 'changed_in_sandbox' });
    expect(found.message).toMatch(/was removed/);
  });

  it.each([
    ['binary content', {}, APP, Buffer.from([0xc3, 0x28]), 'NotTextError', /not UTF-8/],
    ['NUL bytes', {}, APP, Buffer.from('a\0b'), 'NotTextError', /NUL/],
    ['content over the limit', {}, APP, Buffer.alloc(1025, 'a'), 'FileTooLargeError', /1025 bytes/],
    ['a folder', {}, '/home/learner', Buffer.from('x'), 'NotARegularFileError', /is a folder/],
    ['a missing folder', {}, '/home/learner/new/app.py', Buffer.from('x'), 'NoSuchFolderError', /mkdir -p/],
    [
      'the read-only root',
      {},
      '/etc/app.conf',
      Buffer.from('x'),
      'ReadOnlyPlaceError',
      /under \/tmp, \/home\/learner/,
    ],
    [
      'a file the learner may not write',
      { [APP]: { content: 'x', writable: false } },
      APP,
      Buffer.from('y'),
      'FilePermissionError',
      /may not write/,
    ],
    [
      'a folder the learner may not write',
      {},
      '/home/learner/locked/a',
      Buffer.from('y'),
      'FilePermissionError',
      /may not create/,
    ],
  ] as const)('refuses %s', async (_what, files, filePath, content, name, message) => {
    const sandbox = sandboxWith(files);
    const found = await refusal(writeLearnerFile(sandbox, session, filePath, content));
    expect(found.name).toBe(name);
    expect(found.message).toMatch(message);
    expect(sandbox.writes).toEqual([]);
  });

  it('runs two writes of one file one after the other', async () => {
    const sandbox = sandboxWith({ [APP]: { content: 'v0' } });
    const first = writeLearnerFile(sandbox, session, APP, Buffer.from('v1'), { ifContent: [sha('v0')] });
    const second = writeLearnerFile(sandbox, session, APP, Buffer.from('v2'), { ifContent: [sha('v0')] });
    await expect(first).resolves.toMatchObject({ sha256: sha('v1') });
    await expect(second).rejects.toMatchObject({ name: 'PreconditionFailedError' });
  });
});
