import { EventEmitter } from 'node:events';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import next from 'next';
import {
  CLIENT_ADDRESS_HEADER,
  ContentWatcher,
  createPlatform,
  installPlatform,
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

  const server = http.createServer();
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
  const terminals = new TerminalGateway(
    platform.labSessions,
    platform.shells,
    platform.store.serverSecret,
    new URL(platform.env.publicUrl).origin,
  );
  // Development: lesson and lab edits reach open pages at once (app/_components/live-reload.tsx).
  const watcher = options.dev
    ? new ContentWatcher([platform.paths.contentDir, platform.paths.labsDir])
    : undefined;
  server.on('request', (req, res) => {
    // The client's address as the socket says it, for per-address limits; a client cannot set it.
    req.headers[CLIENT_ADDRESS_HEADER] = req.socket.remoteAddress ?? '';
    if (watcher && req.url === '/__keiko/content-events') return streamContentEvents(watcher, req, res);
    ready.then(
      () => handle(req, res),
      () => res.writeHead(503).end('Keiko failed to start; see the server log\n'),
    );
  });
  server.on('upgrade', (req, socket, head) => {
    if (terminals.handleUpgrade(req, socket, head)) return;
    // Development: Next's hot-reload socket. Next listens for it on the stand-in server it was given,
    // and the browser's bundles wait for that socket before the page comes alive.
    if (options.dev) void ready.then(() => nextSide.emit('upgrade', req, socket, head));
    else socket.destroy();
  });
  await ready;
  console.log(
    `Keiko is serving on ${platform.env.publicUrl} (bound to ${host}:${port}, data in ${platform.env.dataDir})`,
  );

  await new Promise<void>((resolve) => {
    const stop = () => {
      watcher?.close();
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
