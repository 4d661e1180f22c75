import http from 'node:http';
import { bounded } from './budget';
import { median } from './stats';
import { startServer } from '../tests/support/server';
import { tempDir } from '../tests/support/temp';
import type { Benchmark } from './types';

const RUNS = Number(process.env.BENCH_PAGES_RUNS ?? 50);
const LESSON = '/courses/bottle/01-starting-bottle';
/** The first request may compile the lesson; any later one is a few milliseconds. */
const FIRST_REQUEST_MS = 120_000;
const REQUEST_MS = 30_000;

interface Got {
  ttfbMs: number;
  totalMs: number;
  bytes: number;
  body: Buffer;
}

/** One GET: milliseconds to the first byte of the body and to the last, and the bytes received. */
function get(
  url: string,
  signal: AbortSignal,
  timeoutMs = REQUEST_MS,
  headers: Record<string, string> = {},
): Promise<Got> {
  const request = new AbortController();
  const done = new Promise<Got>((resolve, reject) => {
    const started = performance.now();
    http
      .get(url, { signal: request.signal, headers }, (response) => {
        let ttfbMs = 0;
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => {
          if (chunks.length === 0) ttfbMs = performance.now() - started;
          chunks.push(chunk);
        });
        response.on('end', () => {
          const body = Buffer.concat(chunks);
          resolve({ ttfbMs, totalMs: performance.now() - started, bytes: body.length, body });
        });
        response.on('error', reject);
      })
      .on('error', reject);
  });
  return bounded(done, timeoutMs, `GET ${url}`, signal).finally(() => request.abort());
}

/**
 * The scripts and stylesheets a current browser loads for the page, each fetched once for its size.
 * `noModule` scripts (Next's polyfills, about 110 kB) are left out: browsers that run modules skip them.
 */
async function assetBytes(
  base: string,
  html: string,
  signal: AbortSignal,
  headers: Record<string, string> = {},
): Promise<number> {
  const paths = new Set<string>();
  for (const [tag] of html.matchAll(/<(?:script|link)\b[^>]*>/g)) {
    if (/\bnoModule\b/i.test(tag)) continue;
    const asset = /(?:src|href)="(\/_next\/static\/[^"]+)"/.exec(tag)?.[1];
    if (asset) paths.add(asset);
  }
  let bytes = 0;
  for (const asset of paths) bytes += (await get(`${base}${asset}`, signal, REQUEST_MS, headers)).bytes;
  return bytes;
}

/**
 * A lesson page of the real course from the production build (rendered once by Next.js, then served
 * from memory by the custom server: platform/prerendered-pages.ts), beside the same HTML as a static
 * file served by Node's http module, in the same run.
 */
const benchmark: Benchmark = {
  name: 'pages',
  description: `lesson page TTFB and size, median of ${RUNS}, vs the same HTML from a bare node:http server`,
  budgetMs: 10 * 60_000,
  async run(log, { signal }) {
    const data = tempDir('bench-pages');
    log('starting keiko serve with a fresh data directory');
    const server = await startServer({ KEIKO_DATA_DIR: data.dir, KEIKO_POOL_SIZE: '0' });
    const staticServer = http.createServer();
    try {
      log(`first request to ${LESSON}`);
      const page = await get(`${server.url}${LESSON}`, signal, FIRST_REQUEST_MS);
      if (!page.body.toString().includes('Starting a Bottle server'))
        throw new Error(`${LESSON} did not render`);
      const html = page.body;
      staticServer.on('request', (_request, response) => {
        response.writeHead(200, {
          'content-type': 'text/html; charset=utf-8',
          'content-length': html.length,
        });
        response.end(html);
      });
      await new Promise<void>((resolve) => staticServer.listen(0, '127.0.0.1', resolve));
      const address = staticServer.address();
      const staticUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/`;
      for (let i = 0; i < 5; i += 1)
        await Promise.all([get(`${server.url}${LESSON}`, signal), get(staticUrl, signal)]);
      log(`${RUNS} requests each`);
      const ours: Got[] = [];
      const bare: Got[] = [];
      for (let i = 0; i < RUNS; i += 1) {
        ours.push(await get(`${server.url}${LESSON}`, signal));
        bare.push(await get(staticUrl, signal));
      }
      const assets = await assetBytes(server.url, html.toString(), signal);
      // What a browser receives: it asks for gzip (bytes counted as they come over the wire).
      const gzip = { 'accept-encoding': 'gzip' };
      const gzippedHtml = (await get(`${server.url}${LESSON}`, signal, REQUEST_MS, gzip)).bytes;
      const gzippedAssets = await assetBytes(server.url, html.toString(), signal, gzip);
      const mb = (bytes: number) => bytes / 1_000_000;
      return [
        {
          metric: 'lesson page time to first byte, median',
          unit: 'ms',
          ours: median(ours.map((r) => r.ttfbMs)),
          baseline: median(bare.map((r) => r.ttfbMs)),
          baselineName: 'the same HTML from node:http',
          samples: RUNS,
        },
        {
          metric: 'lesson page, whole response, median',
          unit: 'ms',
          ours: median(ours.map((r) => r.totalMs)),
          baseline: median(bare.map((r) => r.totalMs)),
          baselineName: 'the same HTML from node:http',
          samples: RUNS,
        },
        {
          metric: 'lesson page HTML transferred (uncompressed)',
          unit: 'MB',
          ours: mb(median(ours.map((r) => r.bytes))),
          baseline: mb(html.length),
          baselineName: 'the same HTML from node:http',
          samples: RUNS,
        },
        {
          metric: 'lesson page HTML + its scripts and styles',
          unit: 'MB',
          ours: mb(html.length + assets),
          baseline: mb(html.length),
          baselineName: 'the HTML alone',
          samples: 1,
        },
        {
          metric: 'lesson page HTML + its scripts and styles, gzip as a browser receives them',
          unit: 'MB',
          ours: mb(gzippedHtml + gzippedAssets),
          baseline: mb(gzippedHtml),
          baselineName: 'the HTML alone, gzip',
          samples: 1,
        },
      ];
    } finally {
      staticServer.close();
      await server.stop();
      data.remove();
    }
  },
};

export default benchmark;
