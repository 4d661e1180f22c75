// The files API of a real server on the real engine, as the editor uses it: read with an ETag, poll
// with If-None-Match, save with If-Match, and what the learner's shell then sees; the refusals each
// say what to change; and a session's token opens no other session's files.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useServer } from '../../support/server';
import { TerminalClient } from '../../support/terminal-client';

interface Session {
  id: string;
  token: string;
  terminalUrl: string;
}

const HELLO = '/home/learner/app/hello.py';
const server = useServer('files-api');
let session: Session;
let other: Session;
let terminal: TerminalClient;
let commands = 0;

async function createSession(labId: string): Promise<Session> {
  const response = await fetch(`${server.url}/api/labs/${labId}/sessions`, { method: 'POST' });
  expect(response.status).toBe(201);
  return (await response.json()) as Session;
}

function filesUrl(filePath: string | null, of: Session = session): string {
  const query = filePath === null ? '' : `?${new URLSearchParams({ path: filePath })}`;
  return `${server.url}/api/sessions/${of.id}/files${query}`;
}

function getFile(filePath: string | null, headers: Record<string, string> = {}, as: Session = session) {
  return fetch(filesUrl(filePath), { headers: { Authorization: `Bearer ${as.token}`, ...headers } });
}

function putFile(
  filePath: string,
  body: string | Uint8Array<ArrayBuffer>,
  headers: Record<string, string> = {},
) {
  return fetch(filesUrl(filePath), {
    method: 'PUT',
    body,
    headers: { Authorization: `Bearer ${session.token}`, 'Content-Type': 'text/plain', ...headers },
  });
}

async function errorOf(response: Response): Promise<{ code: string; message: string }> {
  return ((await response.json()) as { error: { code: string; message: string } }).error;
}

/** Runs a command in the learner's shell (the terminal a learner types into) and returns its output. */
async function sh(command: string): Promise<string> {
  const n = ++commands;
  // The markers are split in the typed line, so the shell's echo of that line is never taken for them.
  const [begin, end] = [`__begin_${n}__`, `__end_${n}__`];
  const from = terminal.output.length;
  terminal.type(`echo "__begin_""${n}__"; ${command}; echo "__end_""${n}__"\r`);
  const lines = () => terminal.output.slice(from).replace(/\r/g, '').split('\n');
  await expect.poll(() => lines().includes(end), { timeout: 20_000 }).toBe(true);
  const output = lines();
  return output.slice(output.indexOf(begin) + 1, output.indexOf(end)).join('\n');
}

beforeAll(async () => {
  [session, other] = await Promise.all([createSession('terminal-demo'), createSession('terminal-demo')]);
  terminal = await TerminalClient.open(session.terminalUrl, {
    headers: { Origin: `http://127.0.0.1:${server.port}` },
  });
  // No prompt and no echo: what comes back between the markers is what the command printed.
  terminal.type("PS1=''; stty -echo\r");
});
afterAll(async () => {
  await terminal?.close();
  for (const s of [session, other]) {
    if (s) {
      await fetch(`${server.url}/api/sessions/${s.id}`, {
        method: 'DELETE',
        headers: { Authorization: `Bearer ${s.token}` },
      });
    }
  }
});

describe('files API', () => {
  let etag: string;

  it('reads a file as UTF-8 text with a strong ETag', async () => {
    const response = await getFile(HELLO);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(response.headers.get('cache-control')).toBe('private, no-cache');
    etag = response.headers.get('etag') ?? '';
    expect(etag).toMatch(/^"[0-9a-f]{64}"$/);
    expect(await response.text()).toBe('print("hello from the starter file")\n');
  });

  it('answers 304 to If-None-Match while the file is unchanged', async () => {
    const response = await getFile(HELLO, { 'If-None-Match': etag });
    expect(response.status).toBe(304);
    expect(response.headers.get('etag')).toBe(etag);
    expect(await response.text()).toBe('');
  });

  it('writes with If-Match, answers the new ETag, and the learner sees it in the shell', async () => {
    const content = 'print("edited in the editor")\n';
    const response = await putFile(HELLO, content, { 'If-Match': etag });
    expect(response.status).toBe(204);
    const newTag = response.headers.get('etag');
    expect(newTag).toMatch(/^"[0-9a-f]{64}"$/);
    expect(newTag).not.toBe(etag);
    const back = await getFile(HELLO);
    expect(back.headers.get('etag')).toBe(newTag);
    expect(await back.text()).toBe(content);
    expect(await sh(`cat ${HELLO}`)).toBe(content.trimEnd());
    expect(await sh(`stat -c '%a %U:%G' ${HELLO}`)).toBe('644 learner:learner');
    // The poll of an editor that holds the old tag now sees the new content.
    const polled = await getFile(HELLO, { 'If-None-Match': etag });
    expect(polled.status).toBe(200);
    expect(await polled.text()).toBe(content);
  });

  it('refuses a stale If-Match with 412 after a change in the sandbox, and writes nothing', async () => {
    const opened = (await getFile(HELLO)).headers.get('etag')!;
    await sh(`echo 'print("changed in the terminal")' > ${HELLO}`);
    const response = await putFile(HELLO, 'print("mine")\n', { 'If-Match': opened });
    expect(response.status).toBe(412);
    expect(await errorOf(response)).toEqual({
      code: 'changed_in_sandbox',
      message: expect.stringContaining('changed in the sandbox since you opened it'),
    });
    expect(await sh(`cat ${HELLO}`)).toBe('print("changed in the terminal")');
    // Without If-Match the editor's "overwrite" wins.
    expect((await putFile(HELLO, 'print("mine")\n')).status).toBe(204);
    expect(await sh(`cat ${HELLO}`)).toBe('print("mine")');
  });

  it('keeps the mode of the file it replaces, and creates new files 0644 owned by the learner', async () => {
    // Single quotes: an interactive bash expands "!" in double quotes from its history.
    await sh("printf '#!/bin/sh\\necho one\\n' > run.sh && chmod 750 run.sh");
    expect((await putFile('/home/learner/app/run.sh', '#!/bin/sh\necho two\n')).status).toBe(204);
    expect(await sh('stat -c "%a %U" run.sh && ./run.sh')).toBe('750 learner\ntwo');
    const created = await putFile('/home/learner/app/new.txt', 'new\n', { 'If-None-Match': '*' });
    expect(created.status).toBe(204);
    expect(await sh('stat -c "%a %U" new.txt')).toBe('644 learner');
    expect((await putFile('/home/learner/app/new.txt', 'again\n', { 'If-None-Match': '*' })).status).toBe(
      412,
    );
  });

  it('answers 404 for a file that does not exist', async () => {
    const response = await getFile('/home/learner/app/nope.txt');
    expect(response.status).toBe(404);
    expect(await errorOf(response)).toEqual({
      code: 'file_not_found',
      message: '/home/learner/app/nope.txt does not exist in the sandbox.',
    });
  });

  it.each([
    [null, /give the file as \?path=\/absolute\/path/],
    ['app/hello.py', /must be absolute/],
    ['/home/learner/app/../../../etc/passwd', /must not contain "\.\." segments/],
    ['/home/learner/app/a\0b', /NUL byte/],
    ['/home/learner/app', /is a folder; give the path of a file in it/],
  ])('answers 400 with a reason for the path %j', async (filePath, message) => {
    const response = await getFile(filePath);
    expect(response.status).toBe(400);
    expect((await errorOf(response)).message).toMatch(message);
  });

  it('answers the config test 400 for a bad path and 409 in a sandbox without apachectl', async () => {
    const configTest = (filePath: string) =>
      fetch(
        `${server.url}/api/sessions/${session.id}/files/config-test?${new URLSearchParams({ path: filePath })}`,
        {
          method: 'POST',
          headers: { Authorization: `Bearer ${session.token}` },
        },
      );
    const bad = await configTest('../../etc/apache2/apache2.conf');
    expect(bad.status).toBe(400);
    expect((await errorOf(bad)).message).toMatch(/must be absolute/);
    const none = await configTest('/home/learner/app/hello.py');
    expect(none.status).toBe(409);
    expect(await errorOf(none)).toMatchObject({ code: 'no_config_test' });
    expect(server.logs()).not.toMatch(/uncaughtException|unexpected error in a route handler/);
  });

  it('refuses a symbolic link rather than following it', async () => {
    await sh('ln -sf /etc/passwd link.txt');
    const response = await getFile('/home/learner/app/link.txt');
    expect(response.status).toBe(400);
    expect((await errorOf(response)).message).toMatch(/symbolic link/);
  });

  it('answers 413 for a file or a body over 1 MiB', async () => {
    await sh("head -c 1048577 /dev/zero | tr '\\0' a > big.txt");
    const read = await getFile('/home/learner/app/big.txt');
    expect(read.status).toBe(413);
    expect((await errorOf(read)).message).toMatch(/1048577 bytes/);
    const write = await putFile('/home/learner/app/big2.txt', 'a'.repeat(1024 * 1024 + 1));
    expect(write.status).toBe(413);
    expect(await errorOf(write)).toMatchObject({ code: 'file_too_large' });
    expect(await sh('ls big2.txt 2>&1')).toMatch(/No such file/);
  });

  it('refuses what is not UTF-8 text, places that are read-only, and files the learner may not read', async () => {
    const binary = await putFile('/home/learner/app/bin.dat', new Uint8Array([0xc3, 0x28, 0x00]));
    expect(binary.status).toBe(400);
    expect(await errorOf(binary)).toMatchObject({ code: 'not_text' });
    const readOnly = await putFile('/etc/motd', 'hi\n');
    expect(readOnly.status).toBe(403);
    expect(await errorOf(readOnly)).toEqual({
      code: 'read_only_place',
      message: expect.stringMatching(
        /^\/etc\/motd is in a read-only part of the sandbox; this lab can write under .*\/home\/learner/,
      ),
    });
    const shadow = await getFile('/etc/shadow');
    expect(shadow.status).toBe(403);
    expect(await errorOf(shadow)).toMatchObject({ code: 'permission_denied' });
    const noFolder = await putFile('/home/learner/app/missing/a.txt', 'x');
    expect(noFolder.status).toBe(409);
    expect((await errorOf(noFolder)).message).toMatch(/mkdir -p \/home\/learner\/app\/missing/);
  });

  it("answers 404 to another session's token and to no credentials, for reads and writes", async () => {
    const foreign = await getFile(HELLO, {}, other);
    expect(foreign.status).toBe(404);
    expect(await errorOf(foreign)).toMatchObject({ code: 'not_found' });
    expect((await fetch(filesUrl(HELLO))).status).toBe(404);
    const write = await fetch(filesUrl(HELLO), {
      method: 'PUT',
      body: 'x',
      headers: { Authorization: `Bearer ${other.token}` },
    });
    expect(write.status).toBe(404);
    expect(await sh(`cat ${HELLO}`)).toBe('print("mine")');
    // The other session's own files answer to its own token.
    expect(
      (await fetch(filesUrl(HELLO, other), { headers: { Authorization: `Bearer ${other.token}` } })).status,
    ).toBe(200);
  });
});
