/**
 * `h2proxy`: the entry point bundled into the h2proxy lab image (bundle.json there), run by Debian's
 * Node 18. Exit codes: 2 for a wrong command line (with the usage), 1 when the proxy cannot start.
 * With more than one CPU it serves from one process per CPU (proxy/workers.ts; H2PROXY_WORKERS=1 for
 * a single process): this process then only starts, watches and stops them.
 */
import cluster from 'node:cluster';
import { createLogger, type Logger } from './logger';
import { parseArgs, USAGE, UsageError, type ProxyOptions } from './options';
import { listeningLine, startProxy } from './server';
import { loadCertificates } from './sni';
import { VERSION } from './version';
import { runPrimary, workerCount, type WorkerMessage } from './workers';

/** Start-up errors a user can fix (a certificate path, a port in use): one line, not a stack. */
function startupMessage(error: unknown): string {
  const known = ['CertificateError', 'ListenError'].includes((error as Error).name);
  return known ? (error as Error).message : String((error as Error).stack);
}

async function main(argv: readonly string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`h2proxy: ${error.message}\n\n${USAGE}`);
    return 2;
  }
  if (parsed.kind === 'help') {
    process.stdout.write(USAGE);
    return 0;
  }
  if (parsed.kind === 'version') {
    process.stdout.write(`h2proxy ${VERSION}\n`);
    return 0;
  }
  const { options } = parsed;
  let logger;
  try {
    logger = createLogger(options.log, options.logLevel);
  } catch (error) {
    process.stderr.write(
      `h2proxy: cannot open the log ${describe(options.log)}: ${(error as Error).message}\n`,
    );
    return 1;
  }
  const workers = workerCount();
  if (cluster.isPrimary && workers > 1) return primary(options, logger, workers);
  return serve(options, logger);
}

function primary(options: ProxyOptions, logger: Logger, workers: number): number {
  try {
    loadCertificates(options.certificates); // a wrong path fails here once, not in every worker
  } catch (error) {
    process.stderr.write(`h2proxy: ${startupMessage(error)}\n`);
    return 1;
  }
  runPrimary({
    workers,
    info: (message) => logger.info(message),
    error: (message) => logger.error(message),
    fatal: (message) => {
      process.stderr.write(`h2proxy: ${message}\n`);
      void logger.close().then(() => process.exit(1));
    },
  });
  return -1; // keep running
}

/** Runs the proxy in this process: the only one, or one of a cluster's workers. */
async function serve(options: ProxyOptions, logger: Logger): Promise<number> {
  const tell = (message: WorkerMessage): void => void process.send?.(message);
  // In a cluster the primary stops the workers: a terminal's Ctrl-C reaches every process of the
  // group, and a worker that left on its own would look like a crash to be replaced.
  if (cluster.isWorker) process.on('SIGINT', () => {});
  try {
    const proxy = await startProxy(options, logger, { announce: cluster.isPrimary });
    if (cluster.isWorker) tell({ kind: 'h2proxy-listening', where: listeningLine(options, proxy.address) });
    const stop = (signal: string): void => {
      if (cluster.isPrimary) logger.info(`${signal}: stopping`);
      void proxy
        .close()
        .then(() => logger.close())
        .then(() => process.exit(0));
    };
    if (cluster.isPrimary) process.once('SIGINT', () => stop('SIGINT'));
    process.once('SIGTERM', () => stop('SIGTERM'));
    return -1; // keep running
  } catch (error) {
    if (cluster.isWorker) {
      tell({ kind: 'h2proxy-fatal', message: startupMessage(error) });
      return 1;
    }
    process.stderr.write(`h2proxy: ${startupMessage(error)}\n`);
    return 1;
  }
}

function describe(target: { kind: string; path?: string }): string {
  return target.path ?? target.kind;
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code >= 0) process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`h2proxy: ${error instanceof Error ? error.stack : String(error)}\n`);
    process.exitCode = 1;
  },
);
