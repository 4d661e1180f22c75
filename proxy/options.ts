/**
 * h2proxy's command line, hprox's options (its README) minus the forward-proxy ones. Parsed by
 * hand with one clear error per mistake: the proxy has no npm dependencies (it runs as one bundled file
 * on Debian's Node 18), so zod is not available here; the parser is unit-tested instead.
 */
import { LOG_LEVELS, parseLogTarget, type LogLevel, type LogTarget } from './logger';
import { parseRoute, parseUpstream, SpecError, type Route, type Upstream } from './routes';
import type { CertificateSpec } from './sni';
import { VERSION } from './version';

export interface ProxyOptions {
  /** Listen address; undefined = every interface (IPv6 and IPv4). */
  bind?: string;
  port: number;
  /** `-s` entries in order: a handshake takes the first whose name matches its SNI. */
  certificates: CertificateSpec[];
  /** `--rev` routes in command-line order (sorted when the proxy starts). */
  routes: Route[];
  /** `--ws`: where WebSocket handshakes go, raw. */
  ws?: Upstream;
  /** The Server header of every response. */
  name: string;
  log: LogTarget;
  logLevel: LogLevel;
  /** How long a backend may take to start answering (connect + response head) before a 504. */
  timeoutMs: number;
}

export type ParsedArgs = { kind: 'run'; options: ProxyOptions } | { kind: 'help' } | { kind: 'version' };

export const DEFAULT_PORT = 3000; // hprox's default, in every version
export const DEFAULT_TIMEOUT_SECONDS = 60;

/** A wrong command line: the CLI prints the message and the usage, and exits 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

export const USAGE = `usage: h2proxy [-b ADDRESS] [-p PORT] [-s HOST:CERT:KEY]... [--rev [//DOMAIN/][/PREFIX/]HOST:PORT]...
               [--ws HOST:PORT] [--name NAME] [--log none|stdout|stderr|FILE]
               [--loglevel trace|debug|info|warn|error|none] [-h] [--version]

An HTTP/2 reverse proxy with hprox's command line (h2proxy ${VERSION}).

  -b, --bind ADDRESS      address to listen on (default: every interface)
  -p, --port PORT         port to listen on, 1..65535 (default: ${DEFAULT_PORT})
  -s, --tls HOST:CERT:KEY serve TLS (h2 and http/1.1 by ALPN) with this certificate and key for HOST;
                          repeat for more names: each handshake takes the first entry matching its SNI,
                          *.example.com matches one label. Clients must send SNI (curl --resolve).
                          Also spelled --ssl (hprox 0.1.0).
  --rev [//DOMAIN/][/PREFIX/]HOST:PORT
                          proxy requests to HOST:PORT (port 443: over TLS); //DOMAIN/ only for that
                          Host, /PREFIX/ only for paths under it (stripped). Repeatable; domain routes
                          first, then the longest prefix.
  --ws HOST:PORT          send WebSocket handshakes raw to HOST:PORT (default: the matching --rev)
  --name NAME             value of the Server header (default: h2proxy)
  --log TARGET            none, stdout, stderr or a file to append to (default: stdout)
  --loglevel LEVEL        trace, debug, info, warn, error or none (default: info)
  --timeout SECONDS       how long a backend may take to start answering before a 504 (default: ${DEFAULT_TIMEOUT_SECONDS});
                          not in hprox
  -h, --help              show this help
  --version               show the version
`;

const SHORT: Record<string, string> = { '-b': '--bind', '-p': '--port', '-s': '--tls', '-h': '--help' };
const WITH_VALUE = new Set([
  '--bind',
  '--port',
  '--tls',
  '--ssl',
  '--rev',
  '--ws',
  '--name',
  '--log',
  '--loglevel',
  '--timeout',
]);
const FLAGS = new Set(['--help', '--version']);
const REPEATABLE = new Set(['--tls', '--rev']);

function parsePort(value: string): number {
  const port = /^\d+$/.test(value) ? Number(value) : Number.NaN;
  if (!(port >= 1 && port <= 65535)) throw new UsageError(`--port must be in range 1..65535, not "${value}"`);
  return port;
}

function parseCertificate(value: string): CertificateSpec {
  const parts = value.split(':');
  if (parts.length !== 3 || parts.some((part) => part === '')) {
    throw new UsageError(`--tls wants hostname:certfile:keyfile, not "${value}"`);
  }
  const [host, certFile, keyFile] = parts as [string, string, string];
  return { host, certFile, keyFile };
}

function fromSpec<T>(option: string, parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    if (error instanceof SpecError) throw new UsageError(`${option} ${error.message}`);
    throw error;
  }
}

/** Splits `--opt=value`, `-p8000` and `-p 8000` into (option, value) pairs; flags get no value. */
function* tokens(argv: readonly string[]): Generator<{ option: string; value?: string }> {
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i] as string;
    let option = arg;
    let inline: string | undefined;
    if (arg.startsWith('--')) {
      const eq = arg.indexOf('=');
      if (eq > 0) [option, inline] = [arg.slice(0, eq), arg.slice(eq + 1)];
    } else if (/^-[a-zA-Z]./.test(arg)) {
      [option, inline] = [arg.slice(0, 2), arg.slice(2)];
    } else if (!arg.startsWith('-') || arg === '-') {
      throw new UsageError(`unexpected argument "${arg}"`);
    }
    option = SHORT[option] ?? option;
    if (!WITH_VALUE.has(option) && !FLAGS.has(option)) throw new UsageError(`unknown option ${option}`);
    if (FLAGS.has(option)) {
      if (inline !== undefined) throw new UsageError(`${option} takes no value`);
      yield { option };
      continue;
    }
    if (inline !== undefined) {
      yield { option, value: inline };
      continue;
    }
    const next = argv[i + 1];
    if (next === undefined) throw new UsageError(`${arg} needs a value`);
    i += 1;
    yield { option, value: next };
  }
}

export function parseArgs(argv: readonly string[]): ParsedArgs {
  const options: ProxyOptions = {
    port: DEFAULT_PORT,
    certificates: [],
    routes: [],
    name: 'h2proxy',
    log: { kind: 'stdout' },
    logLevel: 'info',
    timeoutMs: DEFAULT_TIMEOUT_SECONDS * 1000,
  };
  const seen = new Set<string>();
  for (const { option: given, value = '' } of tokens(argv)) {
    const option = given === '--ssl' ? '--tls' : given;
    if (option === '--help') return { kind: 'help' };
    if (option === '--version') return { kind: 'version' };
    if (seen.has(option) && !REPEATABLE.has(option)) throw new UsageError(`${given} is given more than once`);
    seen.add(option);
    switch (option) {
      case '--bind':
        if (!value) throw new UsageError('--bind needs an address');
        options.bind = value;
        break;
      case '--port':
        options.port = parsePort(value);
        break;
      case '--tls':
        options.certificates.push(parseCertificate(value));
        break;
      case '--rev':
        options.routes.push(fromSpec('--rev', () => parseRoute(value)));
        break;
      case '--ws':
        options.ws = fromSpec('--ws', () => parseUpstream(value));
        break;
      case '--name':
        if (!/^[\x21-\x7e][\x20-\x7e]*$/.test(value)) {
          throw new UsageError('--name must be printable ASCII (it becomes the Server header)');
        }
        options.name = value;
        break;
      case '--log':
        if (!value) throw new UsageError('--log wants none, stdout, stderr or a file');
        options.log = parseLogTarget(value);
        break;
      case '--loglevel':
        if (!(LOG_LEVELS as readonly string[]).includes(value)) {
          throw new UsageError(`--loglevel must be one of ${LOG_LEVELS.join(', ')}, not "${value}"`);
        }
        options.logLevel = value as LogLevel;
        break;
      case '--timeout': {
        const seconds = /^\d+(\.\d+)?$/.test(value) ? Number(value) : Number.NaN;
        if (!(seconds > 0 && seconds <= 3600))
          throw new UsageError(`--timeout must be seconds from 0.001 to 3600, not "${value}"`);
        options.timeoutMs = Math.ceil(seconds * 1000);
        break;
      }
    }
  }
  return { kind: 'run', options };
}
