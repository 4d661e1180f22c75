// `keiko serve` (the production build) keeps the catalogue, course and lesson pages rendered: the same
// HTML for every learner, served from memory with an ETag, while the App Router's RSC requests still
// reach Next, an unknown lesson is a 404, and a lesson edited on disk shows on the next request without
// a rebuild. The learner's own steps and progress come from two small API answers instead.
// Runs on a copy of the fixture course, so the edit touches nothing real.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../support/cli';
import { startServer, type RunningServer } from '../../support/server';
import { tempDir } from '../../support/temp';

const scratch = tempDir('lesson-pages');
const content = path.join(scratch.dir, 'content');
const labs = path.join(scratch.dir, 'labs');
const LESSON_FILE = path.join(content, 'example', '01-files', 'index.mdx');
const LESSON = '/courses/example/01-files';
let server: RunningServer;

beforeAll(async () => {
  fs.cpSync(path.join(PROJECT_ROOT, 'tests', 'fixtures', 'content'), content, { recursive: true });
  fs.cpSync(path.join(PROJECT_ROOT, 'tests', 'fixtures', 'labs'), labs, { recursive: true });
  server = await startServer({
    KEIKO_DATA_DIR: path.join(scratch.dir, 'data'),
    KEIKO_CONTENT_DIR: content,
    KEIKO_LABS_DIR: labs,
    KEIKO_POOL_SIZE: '0',
  });
}, 180_000);
afterAll(async () => {
  await server?.stop();
  scratch.remove();
});

/** A plain navigation, as a browser's first GET of the page (no gzip, to read the bytes). */
const page = (url: string, headers: Record<string, string> = {}) =>
  fetch(`${server.url}${url}`, { headers: { 'accept-encoding': 'identity', ...headers } });

describe('lesson pages from the production server', () => {
  it('serves a lesson page from memory: the same bytes and ETag for two learners, no-cache, and a 304 for a current copy', async () => {
    const first = await page(LESSON, { cookie: 'keiko_learner=someone' });
    const second = await page(LESSON);
    expect(first.status).toBe(200);
    const body = await first.text();
    expect(body).toContain('Files and commands');
    expect(await second.text()).toBe(body);
    const etag = first.headers.get('etag');
    expect(etag).toMatch(/^"[\w-]+"$/);
    expect(second.headers.get('etag')).toBe(etag);
    // Next's own answer for a page rendered per request is `private, no-store`.
    expect(first.headers.get('cache-control')).toBe('no-cache');
    expect(first.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(first.headers.get('vary')).toMatch(/rsc/i);
    expect(first.headers.get('set-cookie')).toBeNull();
    const again = await page(LESSON, { 'if-none-match': etag! });
    expect(again.status).toBe(304);
  });

  it('serves the catalogue and the course page the same way', async () => {
    for (const url of ['/', '/courses/example']) {
      const response = await page(url);
      expect(response.status, url).toBe(200);
      expect(response.headers.get('etag'), url).toMatch(/^"/);
      expect(await response.text(), url).toContain('Example course');
    }
  });

  it('gzips the page for a client that asks for it', async () => {
    const response = await fetch(`${server.url}${LESSON}`, { headers: { 'accept-encoding': 'gzip' } });
    expect(response.headers.get('content-encoding')).toBe('gzip');
    expect(await response.text()).toContain('Files and commands');
  });

  it("leaves the App Router's RSC requests (client navigation) to Next", async () => {
    const response = await fetch(`${server.url}${LESSON}`, {
      headers: { RSC: '1', 'Next-Router-State-Tree': encodeURIComponent(JSON.stringify(['', {}])) },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/x-component/);
    expect(response.headers.get('etag')).toBeNull();
  });

  it('answers 404 for an unknown lesson and an unknown course', async () => {
    for (const url of ['/courses/example/99-nowhere', '/courses/nowhere', '/courses/nowhere/01-files']) {
      const response = await page(url);
      expect(response.status, url).toBe(404);
      expect(response.headers.get('etag'), url).toBeNull();
    }
  });

  it('holds nothing of the learner: their steps and progress come from GET /api/labs/{labId}/record and /api/progress', async () => {
    const record = await fetch(`${server.url}/api/labs/example-files/record`);
    expect(record.status).toBe(200);
    expect(record.headers.get('cache-control')).toBe('private, no-store');
    expect(await record.json()).toEqual({
      labId: 'example-files',
      steps: [expect.objectContaining({ id: 'greeting', passed: false, attempts: 0 })],
      live: false,
    });
    expect((await fetch(`${server.url}/api/labs/nowhere/record`)).status).toBe(404);
    const progress = (await (await fetch(`${server.url}/api/progress`)).json()) as {
      courses: { courseId: string; passed: number; total: number; lessons: { slug: string }[] }[];
    };
    expect(progress.courses).toEqual([expect.objectContaining({ courseId: 'example', passed: 0, total: 4 })]);
    expect(progress.courses[0]!.lessons.map((lesson) => lesson.slug)).toEqual(['01-files', '02-grading']);
  });

  it('answers hostile lab ids and forged learner cookies on the two learner routes with a 4xx or an empty record, never a 500', async () => {
    const ids = ['..%2F..%2Fetc%2Fpasswd', '%00', 'x'.repeat(4_000), '%E0%A4%A', 'a\'b"c<script>'];
    for (const id of ids) {
      const answer = await fetch(`${server.url}/api/labs/${id}/record`);
      expect(answer.status, id).toBeGreaterThanOrEqual(400);
      expect(answer.status, id).toBeLessThan(500);
    }
    const forged = { Cookie: 'keiko_learner=forged.not-signed; other=1' };
    const record = await fetch(`${server.url}/api/labs/example-files/record`, { headers: forged });
    expect(record.status).toBe(200);
    expect(((await record.json()) as { live: boolean }).live).toBe(false);
    const progress = await fetch(`${server.url}/api/progress`, { headers: forged });
    expect(progress.status).toBe(200);
  });

  it('shows a lesson edited on disk on the next request, without a rebuild', async () => {
    const before = (await page(LESSON)).headers.get('etag');
    fs.writeFileSync(
      LESSON_FILE,
      fs
        .readFileSync(LESSON_FILE, 'utf8')
        .replace('title: Files and commands', 'title: Files, edited in production'),
    );
    // The content watcher's burst of file events settles within a fraction of a second.
    await expect
      .poll(async () => (await page(LESSON)).text(), { timeout: 15_000, interval: 250 })
      .toContain('Files, edited in production');
    expect((await page(LESSON)).headers.get('etag')).not.toBe(before);
    // The course page lists the new title too: every kept page was forgotten.
    expect(await (await page('/courses/example')).text()).toContain('Files, edited in production');
  });
});
