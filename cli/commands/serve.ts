import { EventEmitter } from 'node:events';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import next from 'next';
import {
  CLIENT_ADDRESS_HEADER,
  ContentWatcher,
  coursePagePaths,
  createPlatform,
  hostRefusal,
  installPlatform,
  isCoursePage,
  loopbackRender,
  PrerenderedPages,
  refuseSocket,
  requestRefusal,
  sendRefusal,
  serverNames,
  stripInternalHeaders,
  TerminalGateway,
} from '@/platform';
import { CliError } from '../errors';
import { PROJECT_ROOT } from '../project-root';

/**
 * `keiko serve`: the Next.js app and (later) the terminal WebSocket on one port, in one process that
 * owns the platform. Start-up problems end the process with one sentence that says what to do.
 */
export async function serve(options: { dev: boolean }): Promise<number> {
  process.env.NEXT_TELEMETRY_DISABLED ??= '1';
  if (!options.dev && !fs.existsSync(path.join(PROJECT_ROOT, '.next', 'BUILD_ID'))) {
    throw new CliError(
      'there is no production build of the web app: run `npm run build` first (`npm run up` does it).',
    );
  }
  const platform = createPlatform({ rootDir: PROJECT_ROOT, holder: 'server' });
  const { KEIKO_HOST: host, KEIKO_PORT: port } = platform.env;
  const engine = await platform.runtime.engineInfo();
  if (!engine.reachable) {
    await platform.close();
    throw new CliError(
      `the Docker engine at ${engine.endpoint} is not reachable (${engine.error}); labs cannot start without it.\n` +
        'Start it with `npm run up`, or set DOCKER_HOST to a running engine.',
    );
  }
  installPlatform(platform);

  const server = http.createServer({
    // A client that sends its headers (or its body) a byte at a time holds its own socket only, and
    // not for long: the checks run every second, not every 30 s as by default.
    headersTimeout: HEADERS_TIMEOUT_MS,
    requestTimeout: REQUEST_TIMEOUT_MS,
    connectionsCheckingInterval: 1_000,
  });
  // What the HTTP parser refuses (a malformed request line, headers too large, a timeout) gets its
  // answer here, and nothing of it reaches the log as an error.
  server.on('clientError', (error: NodeJS.ErrnoException, socket) => {
    if (!socket.writable || (error.code === 'ECONNRESET' && socket.destroyed)) return socket.destroy();
    const status =
      error.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : error.code === 'HPE_HEADER_OVERFLOW' ? 431 : 400;
    refuseSocket(socket, status, status === 408 ? 'Request Timeout' : 'Bad Request');
  });
  await listen(server, port, host).catch(async (error: unknown) => {
    await platform.close();
    throw error;
  });
  await platform.startBackgroundWork();

  // Next attaches its own upgrade listener to whatever server it is given; hand it a stand-in so
  // this server decides which upgrades reach Next (dev reloads) and which reach Keiko's terminal.
  const nextSide = new EventEmitter();
  const app = next({
    dev: options.dev,
    dir: PROJECT_ROOT,
    hostname: host,
    port,
    httpServer: nextSide as http.Server,
  });
  const ready = app.prepare();
  const handle = app.getRequestHandler();
  const names = serverNames({ publicUrl: platform.env.publicUrl, bindHost: host, port });
  const terminals = new TerminalGateway(
    platform.learnerLabs,
    platform.shells,
    platform.store.serverSecret,
    names.origins,
    platform.liveSteps,
  );
  // Lesson and lab edits: in development they reach open pages at once (app/_components/live-reload.tsx);
  // in production they make the kept pages render again on their next request.
  const watcher = new ContentWatcher([platform.paths.contentDir, platform.paths.labsDir]);
  // Production: the catalogue, course and lesson pages rendered once, then served from memory
  // (platform/prerendered-pages.ts). Development renders each request: Next compiles what changed.
  const pages = options.dev
    ? undefined
    : new PrerenderedPages({
        render: loopbackRender({ bindHost: host, port, host: new URL(platform.env.publicUrl).host }),
        isPage: (path) => isCoursePage(path, platform.courses),
      });
  if (pages) watcher.on('change', () => pages.invalidate());
  server.on('request', (req, res) => {
    // A preview host (docs/preview.md) is a learner's own server: relayed, never given to Next.js.
    const preview = platform.preview.addressOf(req.headers.host);
    if (preview) return platform.preview.handleRequest(req, res, preview);
    // The Host rule (DNS rebinding) for every request; the cross-site rule for those that change something.
    const refusal = requestRefusal(names, req);
    if (refusal) return sendRefusal(res, refusal);
    stripInternalHeaders(req);
    // The client's address as the socket says it, for per-address limits; a client cannot set it.
    req.headers[CLIENT_ADDRESS_HEADER] = req.socket.remoteAddress ?? '';
    if (options.dev && req.url === '/__keiko/content-events') return streamContentEvents(watcher, req, res);
    ready.then(
      () =>
        (pages ? pages.serve(req, res) : Promise.resolve(false))
          .then((served) => (served ? undefined : handle(req, res)))
          .catch((error: unknown) => {
            console.error(`keiko: ${req.url} failed: ${error instanceof Error ? error.message : error}`);
            if (!res.headersSent) res.writeHead(500).end();
          }),
      () => res.writeHead(503).end('Keiko failed to start; see the server log\n'),
    );
  });
  server.on('upgrade', (req, socket, head) => {
    // A client that resets its connection must not become an uncaught 'error' event.
    socket.on('error', () => {});
    try {
      const preview = platform.preview.addressOf(req.headers.host);
      if (preview) return platform.preview.handleUpgrade(req, socket, head, preview);
      const refusal = hostRefusal(names, req);
      if (refusal) return refuseSocket(socket, refusal.status, refusal.message);
      stripInternalHeaders(req);
      if (terminals.handleUpgrade(req, socket, head)) return;
      // Development: Next's hot-reload socket. Next listens for it on the stand-in server it was given,
      // and the browser's bundles wait for that socket before the page comes alive.
      if (options.dev) void ready.then(() => nextSide.emit('upgrade', req, socket, head));
      else refuseSocket(socket, 404, 'Not Found: no WebSocket is served at this path');
    } catch (error) {
      console.error(
        `keiko: upgrade refused after an error: ${error instanceof Error ? error.message : error}`,
      );
      refuseSocket(socket, 400, 'Bad Request');
    }
  });
  await ready;
  // Every page rendered ahead, in the background, while no request comes and no terminal is open:
  // the first learner of a lesson does not wait for it, and no learner waits for the warming.
  void pages?.warm(
    coursePagePaths(platform.courses.courses()),
    WARM_WHEN_IDLE_MS,
    () => terminals.connected > 0,
  );
  console.log(
    `Keiko is serving on ${platform.env.publicUrl} (bound to ${host}:${port}, data in ${platform.env.dataDir})`,
  );

  await new Promise<void>((resolve) => {
    const stop = () => {
      watcher.close();
      server.close(() => resolve());
      server.closeAllConnections();
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  terminals.close();
  await app.close();
  await platform.close();
  return 0;
}

/** How long the server must have had no request before it renders a page ahead. */
const WARM_WHEN_IDLE_MS = 1_000;

/** How long a client may take to send a request's headers, and the whole request (a 1 MiB file). */
const HEADERS_TIMEOUT_MS = 10_000;
const REQUEST_TIMEOUT_MS = 60_000;

function listen(server: http.Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EADDRINUSE') {
        reject(
          new CliError(
            `port ${port} on ${host} is already in use by another program. ` +
              'Stop that program, or choose another port with KEIKO_PORT=<port>.',
          ),
        );
      } else if (error.code === 'EACCES') {
        reject(
          new CliError(`not allowed to listen on ${host}:${port}; choose a port above 1023 with KEIKO_PORT.`),
        );
      } else if (error.code === 'EADDRNOTAVAIL') {
        reject(new CliError(`KEIKO_HOST=${host} is not an address of this machine.`));
      } else reject(error);
    });
    server.listen(port, host, () => resolve());
  });
}

/** A server-sent event per change, until the page goes away. */
function streamContentEvents(
  watcher: ContentWatcher,
  req: http.IncomingMessage,
  res: http.ServerResponse,
): void {
  res.writeHead(200, {
    'content-type': 'text/event-stream',
    'cache-control': 'no-cache',
    connection: 'keep-alive',
  });
  res.write(': connected\n\n');
  const onChange = (files: string[]) => res.write(`data: ${JSON.stringify({ files })}\n\n`);
  watcher.on('change', onChange);
  req.on('close', () => watcher.off('change', onChange));
}
