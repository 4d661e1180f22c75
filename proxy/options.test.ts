import { describe, expect, it } from 'vitest';
import { parseArgs, type ProxyOptions } from './options';

function run(...argv: string[]): ProxyOptions {
  const parsed = parseArgs(argv);
  if (parsed.kind !== 'run') throw new Error(`expected options, got ${parsed.kind}`);
  return parsed.options;
}

describe('parseArgs', () => {
  it("has hprox's defaults: port 3000, every interface, plain HTTP, log to stdout at info", () => {
    expect(run()).toEqual({
      port: 3000,
      certificates: [],
      routes: [],
      name: 'h2proxy',
      log: { kind: 'stdout' },
      logLevel: 'info',
      timeoutMs: 60_000,
    });
  });

  it('reads the course command line', () => {
    const options = run('-p', '8000', '-s', 'example.com:cert.pem:key.pem', '--rev', '127.0.0.1:8080');
    expect(options.port).toBe(8000);
    expect(options.certificates).toEqual([{ host: 'example.com', certFile: 'cert.pem', keyFile: 'key.pem' }]);
    expect(options.routes).toEqual([
      { prefix: '/', upstream: { host: '127.0.0.1', port: 8080, tls: false }, spec: '127.0.0.1:8080' },
    ]);
  });

  it('accepts --opt=value, -pVALUE, long names and the old --ssl spelling', () => {
    const options = run(
      '--port=8443',
      '--bind',
      '127.0.0.1',
      '--ssl',
      'a.test:a.pem:a.key',
      '-sb.test:b.pem:b.key',
      '--ws=127.0.0.1:8081',
      '--name',
      'Apache',
      '--log',
      '/tmp/h2proxy.log',
      '--loglevel',
      'warn',
      '--timeout',
      '2.5',
    );
    expect(options).toMatchObject({
      port: 8443,
      bind: '127.0.0.1',
      ws: { host: '127.0.0.1', port: 8081, tls: false },
      name: 'Apache',
      log: { kind: 'file', path: '/tmp/h2proxy.log' },
      logLevel: 'warn',
      timeoutMs: 2500,
    });
    expect(options.certificates.map((cert) => cert.host)).toEqual(['a.test', 'b.test']);
  });

  it('keeps repeated --tls and --rev in command-line order', () => {
    const options = run('--rev', '/a/127.0.0.1:1', '--rev', '//x.test/127.0.0.1:2', '--rev', '127.0.0.1:3');
    expect(options.routes.map((route) => route.spec)).toEqual([
      '/a/127.0.0.1:1',
      '//x.test/127.0.0.1:2',
      '127.0.0.1:3',
    ]);
  });

  it('answers --help and --version before anything else', () => {
    expect(parseArgs(['-p', '80', '--help'])).toEqual({ kind: 'help' });
    expect(parseArgs(['-h'])).toEqual({ kind: 'help' });
    expect(parseArgs(['--version'])).toEqual({ kind: 'version' });
  });

  it.each([
    [['-p', '0'], '--port must be in range 1..65535, not "0"'],
    [['--port', '65536'], '--port must be in range 1..65535, not "65536"'],
    [['--port', '80a'], '--port must be in range 1..65535, not "80a"'],
    [['-p'], '-p needs a value'],
    [['--tls', 'example.com:cert.pem'], '--tls wants hostname:certfile:keyfile, not "example.com:cert.pem"'],
    [['--tls', 'a:b:c:d'], '--tls wants hostname:certfile:keyfile, not "a:b:c:d"'],
    [['--rev', '/api/'], '--rev "/api/" names no backend host:port'],
    [
      ['--rev', '127.0.0.1:99999'],
      '--rev "127.0.0.1:99999": the port of "127.0.0.1:99999" must be in range 1..65535',
    ],
    [['--rev', '//'], '--rev "//": a domain route is //domain/host:port'],
    [['--ws', 'a b'], '--ws "a b" is not host:port'],
    [
      ['--loglevel', 'verbose'],
      '--loglevel must be one of trace, debug, info, warn, error, none, not "verbose"',
    ],
    [['--auth', 'users.txt'], 'unknown option --auth'],
    [['-x'], 'unknown option -x'],
    [['-xyz'], 'unknown option -x'],
    [['8000'], 'unexpected argument "8000"'],
    [['-p', '1', '--port', '2'], '--port is given more than once'],
    [['--help=yes'], '--help takes no value'],
    [['--timeout', '0'], '--timeout must be seconds from 0.001 to 3600, not "0"'],
    [['--timeout', 'soon'], '--timeout must be seconds from 0.001 to 3600, not "soon"'],
    [['--name', ''], '--name must be printable ASCII (it becomes the Server header)'],
  ])('rejects %j: %s', (argv, message) => {
    expect(() => parseArgs(argv)).toThrow(message);
    expect(() => parseArgs(argv)).toThrow(expect.objectContaining({ name: 'UsageError' }));
  });
});
