import { describe, expect, it } from 'vitest';
import { ApacheConfigTestSchema, parseApachectlTest } from './apachectl';
import { fixtureFile } from './fixture-files';

const test = (name: string, exitCode: number) =>
  ApacheConfigTestSchema.parse(parseApachectlTest(fixtureFile('apachectl', `${name}.txt`), exitCode));

describe('parseApachectlTest on real apachectl -t output (Apache 2.4.71, Debian 12)', () => {
  it('reads Syntax OK as a pass, keeping the hostname warnings apart', () => {
    const result = test('syntax-ok', 0);
    expect(result).toMatchObject({ ok: true, problem: null });
    expect(result.warnings).toHaveLength(2);
    expect(result.warnings[1]).toMatch(/^AH00558: /);
  });

  it('passes with a logged warning, which stays a warning', () => {
    expect(test('undefined-variable-warning', 0)).toMatchObject({
      ok: true,
      problem: null,
      warnings: [expect.stringContaining('AH00111: Config variable ${NOPE} is not defined')],
    });
  });

  it('places an unknown directive (AH00526) on its file and line, with the reason from the next line', () => {
    expect(test('invalid-command-site', 1)).toEqual({
      ok: false,
      problem: {
        file: '/etc/apache2/sites-enabled/000-default.conf',
        line: 11,
        message:
          "Invalid command 'Protocolz', perhaps misspelled or defined by a module not included in the server configuration",
      },
      warnings: [],
    });
  });

  it('places a bad argument in apache2.conf itself', () => {
    expect(test('bad-argument-apache2-conf', 1).problem).toEqual({
      file: '/etc/apache2/apache2.conf',
      line: 226,
      message: 'KeepAlive must be On or Off',
    });
  });

  it('follows a chain of Includes to the innermost place, and the file:line the reason itself names', () => {
    expect(test('unclosed-virtualhost', 1).problem).toEqual({
      file: '/etc/apache2/sites-enabled/000-default.conf',
      line: 1,
      message: '<VirtualHost> was not closed.',
    });
    expect(test('include-missing-file', 1).problem).toEqual({
      file: '/etc/apache2/conf-enabled/zz.conf',
      line: 1,
      message: 'Could not open configuration file /etc/apache2/nope.conf: No such file or directory',
    });
  });

  it('names H2Push as an invalid command while mod_http2 is not loaded', () => {
    expect(test('h2push-without-http2', 1).problem).toMatchObject({
      file: '/etc/apache2/conf-enabled/zz.conf',
      line: 1,
      message: expect.stringMatching(/^Invalid command 'H2Push'/),
    });
  });

  it('gives an error that names no place without file or line, never the trailer lines', () => {
    expect(test('bad-user', 1).problem).toEqual({
      file: null,
      line: null,
      message: 'AH00543: apache2: bad user name nosuchuser',
    });
  });

  it('decides by the exit code: a failure that printed nothing still fails', () => {
    expect(parseApachectlTest('', 1)).toMatchObject({ ok: false, problem: { file: null, line: null } });
    expect(parseApachectlTest('Syntax OK\n', 0)).toEqual({ ok: true, problem: null, warnings: [] });
  });
});
