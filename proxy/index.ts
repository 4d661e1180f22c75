/**
 * h2proxy: Keiko's HTTP/2 reverse proxy with hprox's command line, for the reverse-proxy lessons. It
 * runs in the h2proxy lab image as one bundled file (proxy/cli.ts); tests start it in-process.
 */
export { parseArgs, USAGE, UsageError, DEFAULT_PORT, type ProxyOptions, type ParsedArgs } from './options';
export { startProxy, MAX_CONCURRENT_STREAMS, type RunningProxy } from './server';
export { createLogger, type Logger, type LogLevel } from './logger';
export { VERSION } from './version';
