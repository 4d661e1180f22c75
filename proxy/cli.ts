/**
 * `h2proxy`: the entry point bundled into the h2proxy lab image (bundle.json there), run by Debian's
 * Node 18. Exit codes: 2 for a wrong command line (with the usage), 1 when the proxy cannot start.
 */
import { createLogger } from './logger';
import { parseArgs, USAGE, UsageError } from './options';
import { startProxy } from './server';
import { VERSION } from './version';

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
  try {
    const proxy = await startProxy(options, logger);
    const stop = (signal: string): void => {
      logger.info(`${signal}: stopping`);
      void proxy
        .close()
        .then(() => logger.close())
        .then(() => process.exit(0));
    };
    process.once('SIGINT', () => stop('SIGINT'));
    process.once('SIGTERM', () => stop('SIGTERM'));
    return -1; // keep running
  } catch (error) {
    // Start-up errors a user can fix (a certificate path, a port in use) are one line, not a stack.
    const known = ['CertificateError', 'ListenError'].includes((error as Error).name);
    process.stderr.write(`h2proxy: ${known ? (error as Error).message : String((error as Error).stack)}\n`);
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
