import { createHash } from 'node:crypto';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS, type ExecInSessionOptions, type ExecResult, type SandboxSession } from '@/sandbox';
import {
  etagOf,
  parseEntityTags,
  parseLabFilePath,
  parseStatOutput,
  readCappedBody,
  readLabFile,
  writeLabFile,
  type LabFileError,
  type LabFilesManager,
} from './lab-files';

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
class FakeSandbox implements LabFilesManager {
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

async function refusal(
  promise: Promise<unknown>,
): Promise<Pick<LabFileError, 'status' | 'code' | 'message'>> {
  const error = (await promise.then(
    () => {
      throw new Error('expected a refusal');
    },
    (caught: unknown) => caught,
  )) as LabFileError;
  expect(error.name).toBe('LabFileError');
  return { status: error.status, code: error.code, message: error.message };
}

const APP = '/home/learner/app.py';

describe('parseLabFilePath', () => {
  it('accepts absolute paths and tidies // and /./', () => {
    expect(parseLabFilePath('/home/learner/app.py')).toBe('/home/learner/app.py');
    expect(parseLabFilePath('/home//learner/./app.py')).toBe('/home/learner/app.py');
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
  ])('refuses %j with a 400 that says why', (raw, message) => {
    let caught: unknown;
    try {
      parseLabFilePath(raw);
    } catch (error) {
      caught = error;
    }
    expect(caught).toMatchObject({ name: 'LabFileError', status: 400, code: 'invalid_path' });
    expect((caught as Error).message).toMatch(message);
  });
});

describe('entity tags', () => {
  it('are strong hashes of the bytes', () => {
    expect(etagOf('a')).toBe(etagOf(Buffer.from('a')));
    expect(etagOf('a')).not.toBe(etagOf('b'));
    expect(etagOf('a')).toMatch(/^"[0-9a-f]{64}"$/);
  });

  it('parses lists, weak tags and *', () => {
    expect(parseEntityTags(null)).toEqual([]);
    expect(parseEntityTags(' * ')).toBe('*');
    expect(parseEntityTags('"a", W/"b"')).toEqual([
      { tag: '"a"', weak: false },
      { tag: '"b"', weak: true },
    ]);
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

describe('readLabFile', () => {
  it('answers the bytes with their tag, and counts as activity', async () => {
    const sandbox = sandboxWith({ [APP]: { content: 'print(1)\n' } });
    const result = await readLabFile(sandbox, session, APP);
    expect(result).toMatchObject({ status: 'ok', etag: etagOf('print(1)\n'), text: true });
    expect(sandbox.touched).toBe(1);
  });

  it('answers unchanged to a poll whose tag still matches, without reading or touching', async () => {
    const sandbox = sandboxWith({ [APP]: { content: 'print(1)\n' } });
    sandbox.readFile = () => Promise.reject(new Error('a poll of an unchanged file must not read it'));
    const result = await readLabFile(sandbox, session, APP, { ifNoneMatch: `W/${etagOf('print(1)\n')}` });
    expect(result).toEqual({ status: 'unchanged', etag: etagOf('print(1)\n') });
    expect(sandbox.touched).toBe(0);
  });

  it('answers the new content to a poll of a changed file', async () => {
    const sandbox = sandboxWith({ [APP]: { content: 'print(2)\n' } });
    const result = await readLabFile(sandbox, session, APP, { ifNoneMatch: etagOf('print(1)\n') });
    expect(result).toMatchObject({ status: 'ok', etag: etagOf('print(2)\n') });
  });

  it('labels bytes that are not UTF-8 text', async () => {
    const sandbox = sandboxWith({ [APP]: { content: Buffer.from([0xff, 0xfe, 0x00]) } });
    expect(await readLabFile(sandbox, session, APP)).toMatchObject({ status: 'ok', text: false });
  });

  it.each([
    ['an absent file', {}, '/home/learner/nope.py', 404, 'file_not_found', /does not exist/],
    ['a folder', {}, '/home/learner', 400, 'not_a_file', /is a folder/],
    ['a link', { [APP]: { content: '', kind: 'link' } }, APP, 400, 'not_a_file', /symbolic link/],
    [
      'an unreadable file',
      { [APP]: { content: 'x', readable: false } },
      APP,
      403,
      'permission_denied',
      /may not read/,
    ],
    [
      'a file over the limit',
      { [APP]: { content: 'x'.repeat(1025) } },
      APP,
      413,
      'file_too_large',
      /1025 bytes/,
    ],
  ] as const)('refuses %s', async (_what, files, filePath, status, code, message) => {
    const found = await refusal(readLabFile(sandboxWith(files), session, filePath));
    expect(found).toMatchObject({ status, code });
    expect(found.message).toMatch(message);
  });
});

describe('writeLabFile', () => {
  it('writes as the learner, keeps the mode of the file it replaces, and answers the new tag', async () => {
    const sandbox = sandboxWith({ [APP]: { content: 'old\n', mode: 0o4755 } });
    const result = await writeLabFile(sandbox, session, APP, Buffer.from('new\n'), {
      ifMatch: etagOf('old\n'),
    });
    expect(result).toEqual({ etag: etagOf('new\n'), created: false });
    expect(sandbox.writes).toEqual([{ path: APP, content: 'new\n', mode: 0o755 }]);
    expect(sandbox.touched).toBe(1);
  });

  it('creates a new file 0644, and If-None-Match * refuses to replace one that appeared', async () => {
    const sandbox = sandboxWith({});
    expect(await writeLabFile(sandbox, session, APP, Buffer.from('a'), { ifNoneMatch: '*' })).toEqual({
      etag: etagOf('a'),
      created: true,
    });
    expect(sandbox.writes[0]?.mode).toBe(0o644);
    expect(
      await refusal(writeLabFile(sandbox, session, APP, Buffer.from('b'), { ifNoneMatch: '*' })),
    ).toMatchObject({
      status: 412,
      code: 'file_exists',
    });
  });

  it('refuses a stale If-Match with 412 and writes nothing', async () => {
    const sandbox = sandboxWith({ [APP]: { content: 'changed in the terminal\n' } });
    const found = await refusal(
      writeLabFile(sandbox, session, APP, Buffer.from('mine'), { ifMatch: etagOf('old\n') }),
    );
    expect(found).toMatchObject({ status: 412, code: 'changed_in_sandbox' });
    expect(found.message).toMatch(/changed in the sandbox since you opened it/);
    expect(sandbox.writes).toEqual([]);
  });

  it('If-Match compares strongly: a weak tag of the same bytes does not match', async () => {
    const sandbox = sandboxWith({ [APP]: { content: 'old\n' } });
    expect(
      (
        await refusal(
          writeLabFile(sandbox, session, APP, Buffer.from('x'), { ifMatch: `W/${etagOf('old\n')}` }),
        )
      ).status,
    ).toBe(412);
    await writeLabFile(sandbox, session, APP, Buffer.from('x'), { ifMatch: '*' });
    expect(sandbox.writes).toHaveLength(1);
  });

  it('refuses If-Match on a file removed since it was opened', async () => {
    const found = await refusal(
      writeLabFile(sandboxWith({}), session, APP, Buffer.from('x'), { ifMatch: etagOf('x') }),
    );
    expect(found).toMatchObject({ status: 412, code: 'changed_in_sandbox' });
    expect(found.message).toMatch(/was removed/);
  });

  it.each([
    ['binary content', {}, APP, Buffer.from([0xc3, 0x28]), 400, 'not_text', /not UTF-8/],
    ['NUL bytes', {}, APP, Buffer.from('a\0b'), 400, 'not_text', /NUL/],
    ['content over the limit', {}, APP, Buffer.alloc(1025, 'a'), 413, 'file_too_large', /1025 bytes/],
    ['a folder', {}, '/home/learner', Buffer.from('x'), 400, 'not_a_file', /is a folder/],
    ['a missing folder', {}, '/home/learner/new/app.py', Buffer.from('x'), 409, 'no_such_folder', /mkdir -p/],
    [
      'the read-only root',
      {},
      '/etc/app.conf',
      Buffer.from('x'),
      403,
      'read_only_place',
      /under \/tmp, \/home\/learner/,
    ],
    [
      'a file the learner may not write',
      { [APP]: { content: 'x', writable: false } },
      APP,
      Buffer.from('y'),
      403,
      'permission_denied',
      /may not write/,
    ],
    [
      'a folder the learner may not write',
      {},
      '/home/learner/locked/a',
      Buffer.from('y'),
      403,
      'permission_denied',
      /may not create/,
    ],
  ] as const)('refuses %s', async (_what, files, filePath, content, status, code, message) => {
    const sandbox = sandboxWith(files);
    const found = await refusal(writeLabFile(sandbox, session, filePath, content));
    expect(found).toMatchObject({ status, code });
    expect(found.message).toMatch(message);
    expect(sandbox.writes).toEqual([]);
  });

  it('runs two writes of one file one after the other', async () => {
    const sandbox = sandboxWith({ [APP]: { content: 'v0' } });
    const first = writeLabFile(sandbox, session, APP, Buffer.from('v1'), { ifMatch: etagOf('v0') });
    const second = writeLabFile(sandbox, session, APP, Buffer.from('v2'), { ifMatch: etagOf('v0') });
    await expect(first).resolves.toMatchObject({ etag: etagOf('v1') });
    await expect(second).rejects.toMatchObject({ status: 412 });
  });
});

describe('readCappedBody', () => {
  const stream = (...chunks: string[]) =>
    new ReadableStream<Uint8Array>({
      start(controller) {
        for (const chunk of chunks) controller.enqueue(new TextEncoder().encode(chunk));
        controller.close();
      },
    });

  it('reads a body within the limit', async () => {
    expect((await readCappedBody(stream('ab', 'c'), '3', 3)).toString()).toBe('abc');
    expect((await readCappedBody(null, null, 3)).length).toBe(0);
  });

  it('refuses a declared or streamed body over the limit', async () => {
    await expect(readCappedBody(stream('abcd'), '4', 3)).rejects.toMatchObject({ status: 413 });
    await expect(readCappedBody(stream('ab', 'cd'), null, 3)).rejects.toMatchObject({
      status: 413,
      message: expect.stringMatching(/more than 3 bytes/),
    });
  });
});
