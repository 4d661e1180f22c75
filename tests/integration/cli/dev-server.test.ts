// `npm run dev`'s server: it serves lessons from the content folder, tells open pages when a lesson
// or lab file changes (server-sent events that the page answers with a refresh), and the next
// request shows the edit. Runs on a copy of the fixture course, so the edit touches nothing real.
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../support/cli';
import { startServer, type RunningServer } from '../../support/server';
import { tempDir } from '../../support/temp';

const scratch = tempDir('dev-server');
const content = path.join(scratch.dir, 'content');
const labs = path.join(scratch.dir, 'labs');
const LESSON = path.join(content, 'example', '01-files', 'index.mdx');
let server: RunningServer;

beforeAll(async () => {
  fs.cpSync(path.join(PROJECT_ROOT, 'tests', 'fixtures', 'content'), content, { recursive: true });
  fs.cpSync(path.join(PROJECT_ROOT, 'tests', 'fixtures', 'labs'), labs, { recursive: true });
  server = await startServer(
    {
      KEIKO_DATA_DIR: path.join(scratch.dir, 'data'),
      KEIKO_CONTENT_DIR: content,
      KEIKO_LABS_DIR: labs,
      KEIKO_POOL_SIZE: '0',
    },
    { dev: true },
  );
}, 180_000);
afterAll(async () => {
  await server?.stop();
  scratch.remove();
});

/** The first event of the content stream, or undefined after the timeout. */
function nextContentEvent(
  url: string,
  timeoutMs: number,
): { connected: Promise<void>; event: Promise<string | undefined> } {
  let onConnected: () => void = () => undefined;
  const connected = new Promise<void>((resolve) => (onConnected = resolve));
  const event = new Promise<string | undefined>((resolve) => {
    const request = http.get(`${url}/__keiko/content-events`, (response) => {
      let text = '';
      response.on('data', (chunk: Buffer) => {
        text += chunk.toString();
        if (text.includes(': connected')) onConnected();
        const data = /^data: (.*)$/m.exec(text);
        if (data) {
          request.destroy();
          resolve(data[1]);
        }
      });
    });
    request.on('error', () => resolve(undefined));
    setTimeout(() => {
      request.destroy();
      resolve(undefined);
    }, timeoutMs);
  });
  return { connected, event };
}

describe('the development server', () => {
  it('renders a lesson of the content folder', async () => {
    const page = await (await fetch(`${server.url}/courses/example/01-files`)).text();
    expect(page).toContain('Files and commands');
  });

  it('tells open pages that a lesson changed, and serves the edit on the next request', async () => {
    const { connected, event } = nextContentEvent(server.url, 30_000);
    await connected;
    fs.writeFileSync(
      LESSON,
      fs.readFileSync(LESSON, 'utf8').replace('title: Files and commands', 'title: Files, edited live'),
    );
    expect(JSON.parse((await event) ?? '{}')).toEqual({ files: [LESSON] });
    const page = await (await fetch(`${server.url}/courses/example/01-files`)).text();
    expect(page).toContain('Files, edited live');
  });

  it('tells them when a lab file changes too', async () => {
    const { connected, event } = nextContentEvent(server.url, 30_000);
    await connected;
    const lab = path.join(labs, 'example-files', 'lab.yaml');
    fs.appendFileSync(lab, '# edited\n');
    expect(JSON.parse((await event) ?? '{}')).toEqual({ files: [lab] });
  });
});
