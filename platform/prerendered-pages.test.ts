import http from 'node:http';
import zlib from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { coursePagePaths, isCoursePage, PrerenderedPages, type PageResponse } from './prerendered-pages';

/** What a page render returns: Next's headers for a dynamic page, and a body naming the render. */
function nextAnswer(path: string, renders: number, status = 200): PageResponse {
  return {
    status,
    headers: {
      'content-type': 'text/html; charset=utf-8',
      'cache-control': 'private, no-cache, no-store, max-age=0, must-revalidate',
      vary: 'rsc, next-router-state-tree, next-router-prefetch, next-router-segment-prefetch',
      'set-cookie': ['never=copied'],
      date: 'Wed, 02 Dec 2026 10:00:00 GMT',
    },
    body: Buffer.from(`<html>${path} render ${renders}</html>`),
  };
}

let renders: string[];
let statusOf: (path: string) => number;
let pages: PrerenderedPages;
let server: http.Server;
let base: string;

beforeEach(async () => {
  renders = [];
  statusOf = () => 200;
  pages = new PrerenderedPages({
    render: async (path, header) => {
      expect(header.name).toBe('x-keiko-render');
      renders.push(path);
      await new Promise((resolve) => setTimeout(resolve, 5));
      return nextAnswer(path, renders.length, statusOf(path));
    },
    isPage: (path) => path === '/' || path.startsWith('/courses/'),
  });
  // Stands where `keiko serve` stands: what the cache does not answer is "Next's".
  server = http.createServer((request, response) => {
    void pages.serve(request, response).then((served) => {
      // `/slow-api` stands for a request that takes a while (a lab's start): 400 ms.
      if (!served)
        setTimeout(
          () => response.writeHead(299, { 'content-type': 'text/plain' }).end('next'),
          request.url === '/slow-api' ? 400 : 0,
        );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
});
afterEach(() => {
  server.close();
});

function get(path: string, headers: Record<string, string> = {}, method = 'GET') {
  // fetch asks for gzip unless told otherwise; these tests read the plain page.
  return fetch(`${base}${path}`, { headers: { 'accept-encoding': 'identity', ...headers }, method });
}

describe('PrerenderedPages', () => {
  it('renders a lesson page once and answers every later plain GET from memory', async () => {
    const first = await get('/courses/bottle/01-starting-bottle');
    const second = await get('/courses/bottle/01-starting-bottle');
    expect(await first.text()).toBe('<html>/courses/bottle/01-starting-bottle render 1</html>');
    expect(await second.text()).toBe('<html>/courses/bottle/01-starting-bottle render 1</html>');
    expect(renders).toEqual(['/courses/bottle/01-starting-bottle']);
  });

  it('renders once for requests that arrive together', async () => {
    await Promise.all([get('/'), get('/'), get('/')]);
    expect(renders).toEqual(['/']);
  });

  it("keeps Next's headers that describe the page, with its own ETag, and drops cookies and no-store", async () => {
    const response = await get('/');
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(response.headers.get('vary')).toMatch(/^rsc, next-router-state-tree, .*, Accept-Encoding$/);
    expect(response.headers.get('cache-control')).toBe('no-cache');
    expect(response.headers.get('set-cookie')).toBeNull();
    expect(response.headers.get('etag')).toMatch(/^"[\w-]{27}"$/);
    expect(response.headers.get('content-length')).toBe(String('<html>/ render 1</html>'.length));
  });

  it('answers 304 when If-None-Match carries the current ETag, and the page when it is stale', async () => {
    const etag = (await get('/')).headers.get('etag')!;
    const again = await get('/', { 'if-none-match': etag });
    expect(again.status).toBe(304);
    expect(again.headers.get('etag')).toBe(etag);
    expect((await get('/', { 'if-none-match': '"old"' })).status).toBe(200);
  });

  it('sends the gzipped page to a client that accepts gzip, under its own ETag', async () => {
    const response = await new Promise<http.IncomingMessage>((resolve) =>
      http.get(`${base}/`, { headers: { 'accept-encoding': 'gzip, br' } }, resolve),
    );
    const chunks: Buffer[] = [];
    for await (const chunk of response) chunks.push(chunk as Buffer);
    expect(response.headers['content-encoding']).toBe('gzip');
    expect(response.headers.etag).toMatch(/-gz"$/);
    expect(zlib.gunzipSync(Buffer.concat(chunks)).toString()).toBe('<html>/ render 1</html>');
  });

  it('answers HEAD with the headers only', async () => {
    const response = await get('/', {}, 'HEAD');
    expect(response.status).toBe(200);
    expect(response.headers.get('etag')).toMatch(/^"/);
    expect(await response.text()).toBe('');
  });

  it("leaves the App Router's RSC requests, queries and other methods to Next", async () => {
    for (const request of [
      get('/courses/bottle', { RSC: '1' }),
      get('/courses/bottle', { 'Next-Router-Prefetch': '1' }),
      get('/courses/bottle', { 'Next-Router-State-Tree': '%5B%5D' }),
      get('/courses/bottle?_rsc=abc12'),
      get('/courses/bottle', {}, 'POST'),
    ]) {
      const response = await request;
      expect(response.status).toBe(299);
    }
    expect(renders).toEqual([]);
  });

  it('leaves paths that are not pages to Next, and does not keep a page that did not render with a 200', async () => {
    expect((await get('/status')).status).toBe(299);
    statusOf = () => 404;
    expect((await get('/courses/nowhere')).status).toBe(299);
    expect((await get('/courses/nowhere')).status).toBe(299);
    expect(renders).toEqual(['/courses/nowhere', '/courses/nowhere']);
  });

  it("does not serve the server's own render request from the cache", async () => {
    let token = '';
    const own = new PrerenderedPages({
      render: (path, header) => {
        token = header.value;
        return Promise.resolve(nextAnswer(path, 1));
      },
      isPage: () => true,
    });
    await own.warm(['/']);
    const request = { method: 'GET', url: '/', headers: { 'x-keiko-render': token } };
    expect(own.servablePath(request as unknown as http.IncomingMessage)).toBeUndefined();
    const guessed = { method: 'GET', url: '/', headers: { 'x-keiko-render': 'guess' } };
    expect(own.servablePath(guessed as unknown as http.IncomingMessage)).toBe('/');
  });

  it('renders again after invalidate (a content or lab file changed)', async () => {
    await get('/courses/bottle');
    pages.invalidate();
    expect(await (await get('/courses/bottle')).text()).toBe('<html>/courses/bottle render 2</html>');
  });

  it('does not keep a render that raced an invalidation', async () => {
    const racing = get('/courses/bottle');
    while (renders.length === 0) await new Promise((resolve) => setTimeout(resolve, 1));
    pages.invalidate();
    await racing;
    await get('/courses/bottle');
    expect(renders).toEqual(['/courses/bottle', '/courses/bottle']);
  });

  it('warms a page only once no request came for the idle time it is given', async () => {
    const warming = pages.warm(['/courses/bottle/01-a'], 300);
    const started = performance.now();
    let lastRequest = started;
    while (performance.now() - started < 500) {
      lastRequest = performance.now();
      await get('/status');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(renders).toEqual([]);
    await warming;
    expect(renders).toEqual(['/courses/bottle/01-a']);
    expect(performance.now() - lastRequest).toBeGreaterThanOrEqual(300);
  });

  it('counts idle time from the end of a request still being answered, not from its start', async () => {
    const slow = get('/slow-api');
    await new Promise((resolve) => setTimeout(resolve, 50));
    const warming = pages.warm(['/courses/bottle/01-a'], 100);
    await new Promise((resolve) => setTimeout(resolve, 300)); // past the idle time since it began
    expect(renders).toEqual([]);
    await slow;
    const ended = performance.now();
    await warming;
    expect(renders).toEqual(['/courses/bottle/01-a']);
    expect(performance.now() - ended).toBeGreaterThanOrEqual(100);
  });

  it('does not warm while the server says it is busy (a terminal is open)', async () => {
    let terminalOpen = true;
    const warming = pages.warm(['/courses/bottle/01-a'], 0, () => terminalOpen);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(renders).toEqual([]);
    terminalOpen = false;
    await warming;
    expect(renders).toEqual(['/courses/bottle/01-a']);
  });

  it('warms every page ahead, catalogue first', async () => {
    await pages.warm(coursePagePaths([{ id: 'bottle', lessons: [{ slug: '01-a' }, { slug: '02-b' }] }]));
    expect(renders).toEqual(['/', '/courses/bottle', '/courses/bottle/01-a', '/courses/bottle/02-b']);
    await get('/courses/bottle/02-b');
    expect(renders).toHaveLength(4);
  });
});

describe('isCoursePage', () => {
  const courses = {
    course: (id: string) => (id === 'bottle' ? {} : undefined),
    lesson: (id: string, slug: string) => (id === 'bottle' && slug === '01-a' ? {} : undefined),
  };

  it('accepts the catalogue, a course and a lesson that exist, and nothing else', () => {
    expect(isCoursePage('/', courses)).toBe(true);
    expect(isCoursePage('/courses/bottle', courses)).toBe(true);
    expect(isCoursePage('/courses/bottle/01-a', courses)).toBe(true);
    expect(isCoursePage('/courses/bottle/02-missing', courses)).toBe(false);
    expect(isCoursePage('/courses/nowhere', courses)).toBe(false);
    expect(isCoursePage('/courses/bottle/', courses)).toBe(false);
    expect(isCoursePage('/courses/bottle/01-a/more', courses)).toBe(false);
    expect(isCoursePage('/labs/bottle-01', courses)).toBe(false);
  });
});
