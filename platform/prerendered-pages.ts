import { createHash, randomBytes } from 'node:crypto';
import http from 'node:http';
import zlib from 'node:zlib';

/**
 * The catalogue, course and lesson pages, rendered once by Next.js and then served from memory by
 * the custom server (issue 18: a lesson page as fast as a static file).
 *
 * Why here and not at `next build`: lessons and labs are data read at run time (`KEIKO_CONTENT_DIR`,
 * `KEIKO_LABS_DIR`; `npm run up` does not rebuild the app when only content changed), so what Next
 * would prerender at build time could be another folder's or an older edit's. These pages are the same
 * HTML for every learner (the learner's progress and running lab are asked for by the page once it
 * loads), so the first render of a page serves everyone until a content or lab file changes.
 *
 * Only plain navigations are served here: GET or HEAD, no query, none of the headers with which the
 * App Router asks for its RSC payload (`RSC`, `Next-Router-*`, `Next-Url`, `Next-Action`). Everything
 * else, and any answer but a 200, is Next's.
 */
export interface RenderedPage {
  headers: Record<string, string>;
  body: Buffer;
  gzipped: Buffer;
  /** A strong tag of the body (its hash); the gzipped body's has `-gz` appended. */
  etag: string;
}

/** What Next answered for a page, read whole. */
export interface PageResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

export interface PrerenderedPagesOptions {
  /**
   * Asks Next for the page as a first-time visitor would (no cookie), carrying `header: token` so
   * that this request reaches Next instead of this cache.
   */
  render(path: string, header: { name: string; value: string }): Promise<PageResponse>;
  /** Whether the path is one of the pages kept here: the catalogue, a course or one of its lessons. */
  isPage(path: string): boolean;
}

/** The header that marks the server's own render request; its value is secret to this process. */
export const RENDER_HEADER = 'x-keiko-render';

/** Headers of Next's answer that describe that one response, not the page. */
const NOT_COPIED = new Set([
  'date',
  'connection',
  'keep-alive',
  'transfer-encoding',
  'content-length',
  'content-encoding',
  'set-cookie',
  'etag',
  'cache-control',
]);

/** Request headers with which the App Router asks for something other than the page's HTML. */
function asksForRsc(request: http.IncomingMessage): boolean {
  for (const name of Object.keys(request.headers)) {
    if (name === 'rsc' || name.startsWith('next-')) return true;
  }
  return false;
}

export class PrerenderedPages {
  private readonly token = randomBytes(18).toString('base64url');
  private pages = new Map<string, Promise<RenderedPage | undefined>>();
  private generation = 0;
  private lastRequestAt = -Infinity;
  private inFlight = 0;

  constructor(private readonly options: PrerenderedPagesOptions) {}

  /** Whether this request is the server's own render, which must reach Next. */
  isRenderRequest(request: http.IncomingMessage): boolean {
    return request.headers[RENDER_HEADER] === this.token;
  }

  /** The path of a plain navigation this cache may answer (if it is a page), or undefined when it is Next's. */
  servablePath(request: http.IncomingMessage): string | undefined {
    if (request.method !== 'GET' && request.method !== 'HEAD') return undefined;
    const url = request.url ?? '';
    if (!url.startsWith('/') || url.includes('?') || url.includes('#')) return undefined;
    if (asksForRsc(request) || this.isRenderRequest(request)) return undefined;
    return url;
  }

  /**
   * Answers the request from the kept page (rendering it first if needed); false when the request
   * is not a plain navigation to a page, or the page did not render with a 200: then it is Next's.
   */
  async serve(request: http.IncomingMessage, response: http.ServerResponse): Promise<boolean> {
    if (!this.isRenderRequest(request)) this.noteRequest(response);
    const path = this.servablePath(request);
    if (!path) return false;
    const page = await this.page(path);
    if (!page) return false;
    sendPage(request, response, page);
    return true;
  }

  /**
   * Renders the pages ahead, one at a time, so the first learner of each does not wait. A render
   * holds the event loop for a while, so each waits until no request came for `idleMs`: warming never
   * slows the learners who are already here.
   */
  async warm(paths: string[], idleMs = 0, busy: () => boolean = () => false): Promise<void> {
    for (const path of paths) {
      // Each page waits a whole idle time of its own: a render is a request too, as far as the loop goes.
      const asked = performance.now();
      const quietFor = () => performance.now() - Math.max(this.lastRequestAt, asked);
      while (this.inFlight > 0 || busy() || quietFor() < idleMs)
        await new Promise((resolve) => setTimeout(resolve, Math.max(50, Math.min(idleMs, 250))));
      await this.page(path);
    }
  }

  /**
   * A learner's request: idle time counts from its end, not its start (a lab's start takes seconds),
   * and none is idle while one is still being answered.
   */
  private noteRequest(response: http.ServerResponse): void {
    this.inFlight += 1;
    this.lastRequestAt = performance.now();
    response.once('close', () => {
      this.inFlight -= 1;
      this.lastRequestAt = performance.now();
    });
  }

  /** Forgets every page: a content or lab file changed. */
  invalidate(): void {
    this.generation += 1;
    this.pages = new Map();
  }

  /** How many pages are kept now (for tests and the log). */
  get size(): number {
    return this.pages.size;
  }

  private page(path: string): Promise<RenderedPage | undefined> {
    const kept = this.pages.get(path);
    if (kept) return kept;
    // Asked only on a miss: it reads the content folder, and a kept page is known to be one.
    if (!this.options.isPage(path)) return Promise.resolve(undefined);
    const generation = this.generation;
    const rendering = this.render(path).then(
      (page) => {
        // A render that failed or raced an edit is not kept: the next request renders again.
        if (!page || generation !== this.generation) this.forget(path, rendering);
        return page;
      },
      (error: unknown) => {
        this.forget(path, rendering);
        console.error(
          `keiko: could not render ${path} ahead: ${error instanceof Error ? error.message : error}`,
        );
        return undefined;
      },
    );
    this.pages.set(path, rendering);
    return rendering;
  }

  private forget(path: string, rendering: Promise<RenderedPage | undefined>): void {
    if (this.pages.get(path) === rendering) this.pages.delete(path);
  }

  private async render(path: string): Promise<RenderedPage | undefined> {
    const answer = await this.options.render(path, { name: RENDER_HEADER, value: this.token });
    if (answer.status !== 200) return undefined;
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(answer.headers)) {
      if (value === undefined || NOT_COPIED.has(name)) continue;
      headers[name] = Array.isArray(value) ? value.join(', ') : value;
    }
    if (!/\baccept-encoding\b/i.test(headers.vary ?? ''))
      headers.vary = headers.vary ? `${headers.vary}, Accept-Encoding` : 'Accept-Encoding';
    // The same for every learner, but it changes when the lesson does: a browser may keep it and
    // asks each time whether it is still current (a 304 when it is).
    headers['cache-control'] = 'no-cache';
    const hash = createHash('sha256').update(answer.body).digest('base64url').slice(0, 27);
    return {
      headers,
      body: answer.body,
      gzipped: zlib.gzipSync(answer.body),
      etag: `"${hash}"`,
    };
  }
}

function acceptsGzip(request: http.IncomingMessage): boolean {
  const accept = request.headers['accept-encoding'];
  return typeof accept === 'string' && /\bgzip\b(?!\s*;\s*q=0(?:\.0+)?\b)/i.test(accept);
}

/** The page, gzipped when the client accepts it, or a 304 when the client's copy is current. */
function sendPage(request: http.IncomingMessage, response: http.ServerResponse, page: RenderedPage): void {
  const gzip = acceptsGzip(request);
  const etag = gzip ? `${page.etag.slice(0, -1)}-gz"` : page.etag;
  const ifNoneMatch = request.headers['if-none-match'];
  if (ifNoneMatch && ifNoneMatch.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag)) {
    response.writeHead(304, {
      etag,
      'cache-control': page.headers['cache-control'],
      vary: page.headers.vary,
    });
    response.end();
    return;
  }
  const body = gzip ? page.gzipped : page.body;
  response.writeHead(200, {
    ...page.headers,
    etag,
    'content-length': body.length,
    ...(gzip ? { 'content-encoding': 'gzip' } : {}),
  });
  response.end(request.method === 'HEAD' ? undefined : body);
}

/** `isPage` for Keiko's routes: `/`, `/courses/<course>` and `/courses/<course>/<lesson>` that exist. */
export function isCoursePage(
  path: string,
  courses: { course(id: string): unknown; lesson(courseId: string, slug: string): unknown },
): boolean {
  if (path === '/') return true;
  const match = /^\/courses\/([\w-]+)(?:\/([\w-]+))?$/.exec(path);
  if (!match) return false;
  return match[2] === undefined
    ? courses.course(match[1]!) !== undefined
    : courses.lesson(match[1]!, match[2]) !== undefined;
}

/** Every page `isCoursePage` accepts, catalogue first, for `warm`. */
export function coursePagePaths(courses: { id: string; lessons: { slug: string }[] }[]): string[] {
  return [
    '/',
    ...courses.flatMap((course) => [
      `/courses/${course.id}`,
      ...course.lessons.map((lesson) => `/courses/${course.id}/${lesson.slug}`),
    ]),
  ];
}

/** A GET of `path` from this server over loopback, read whole: `render` for a `keiko serve` process. */
export function loopbackRender(options: { bindHost: string; port: number; host: string }) {
  const address =
    options.bindHost === '0.0.0.0' ? '127.0.0.1' : options.bindHost === '::' ? '::1' : options.bindHost;
  return (path: string, header: { name: string; value: string }): Promise<PageResponse> =>
    new Promise((resolve, reject) => {
      const request = http.get(
        {
          host: address.replace(/^\[|\]$/g, ''),
          port: options.port,
          path,
          headers: { host: options.host, [header.name]: header.value, 'accept-encoding': 'identity' },
          timeout: RENDER_TIMEOUT_MS,
        },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('end', () =>
            resolve({
              status: response.statusCode ?? 0,
              headers: response.headers,
              body: Buffer.concat(chunks),
            }),
          );
          response.on('error', reject);
        },
      );
      request.on('timeout', () =>
        request.destroy(new Error(`rendering ${path} took over ${RENDER_TIMEOUT_MS} ms`)),
      );
      request.on('error', reject);
    });
}

/** A lesson compiled for the first time may take a while; longer than this is a fault. */
const RENDER_TIMEOUT_MS = 120_000;
