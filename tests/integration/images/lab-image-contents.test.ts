// Each lab image, started as a real sandbox (read-only root, learner uid 1000, no capabilities),
// has the tools its lessons name and lets the learner do what the lessons ask without root.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { labImageTag } from '@/sandbox';
import { sandboxFixture, startLab, type SandboxFixture } from '../../support/sandbox';

let fixture: SandboxFixture;
beforeAll(() => {
  fixture = sandboxFixture();
});
afterAll(() => fixture?.dispose());

async function inImage(image: string, script: string, where: 'lab' | 'probe' = 'lab') {
  const session = await startLab(fixture, undefined, labImageTag(image));
  try {
    return await fixture.manager.exec(session.id, { argv: ['bash', '-c', `set -e\n${script}`], in: where });
  } finally {
    await fixture.manager.stop(session.id);
  }
}

describe('lab images', () => {
  it('bottle: Python with Bottle, the WSGI servers, Peewee, PyMySQL, python-daemon and MariaDB, as the learner', async () => {
    const result = await inImage(
      'bottle',
      [
        'test "$(id -u)" = 1000',
        '/usr/bin/python3 -c "import bottle, cheroot, waitress, peewee, pymysql, daemon; print(bottle.__version__)"',
        'gunicorn --version',
        'mariadbd --version',
        'touch /home/learner/app/x.py /tmp/x',
      ].join('\n'),
    );
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stdout).toContain('0.12.23');
  });

  it('apache: the learner configures and enables modules, starts Apache on port 80 and tests the php-fpm config, without root', async () => {
    const result = await inImage(
      'apache',
      [
        'test "$(id -u)" = 1000',
        'a2enmod -q ssl http2 proxy_fcgi wsgi >/dev/null',
        'apachectl -t 2>&1',
        'apachectl start',
        'for i in $(seq 50); do curl -s -o /dev/null http://127.0.0.1/ && break; sleep 0.1; done',
        'curl -s -o /dev/null -w "%{http_code} %header{server}\\n" http://127.0.0.1/',
        'apachectl -M 2>/dev/null | grep -E "^ (http2|wsgi|ssl|php|mpm_prefork)_module" | sort',
        'php-fpm8.2 -t 2>&1',
        'apachectl stop',
      ].join('\n'),
    );
    expect(result.exitCode, `${result.stdout}\n${result.stderr}`).toBe(0);
    expect(result.stdout).toContain('Syntax OK');
    expect(result.stdout).toMatch(/^200 Apache\/2\.4\.\d+ \(Debian\)$/m);
    // Debian's starting state is prefork + mod_php: the companion lesson's first step moves away from it.
    expect(result.stdout).toMatch(
      /http2_module[\s\S]*mpm_prefork_module[\s\S]*php_module[\s\S]*ssl_module[\s\S]*wsgi_module/,
    );
    expect(result.stdout).toContain('test is successful');
  });

  it('dns: BIND run by the learner answers for a zone from their folder', async () => {
    const result = await inImage(
      'dns',
      [
        'test "$(id -u)" = 1000',
        'printf \'%s\\n\' \'options { directory "/home/learner/dns"; listen-on port 5354 { 127.0.0.1; }; listen-on-v6 { none; }; pid-file "named.pid"; recursion no; };\' \'zone "t.test" { type primary; file "db.t"; };\' > named.conf',
        "printf '%s\\n' '$TTL 300' '@ IN SOA ns.t.test. h.t.test. 1 3600 600 86400 300' '@ IN NS ns.t.test.' 'ns IN A 127.0.0.1' '@ IN CAA 0 issue \"letsencrypt.org\"' > db.t",
        'named-checkconf named.conf',
        'named-checkzone t.test db.t',
        '(setsid named -g -c named.conf > named.log 2>&1 &)',
        'for i in $(seq 50); do dig +short @127.0.0.1 -p 5354 t.test CAA | grep -q issue && break; sleep 0.1; done',
        'dig +short @127.0.0.1 -p 5354 t.test CAA',
      ].join('\n'),
    );
    expect(result.exitCode, `${result.stdout}\n${result.stderr}`).toBe(0);
    expect(result.stdout).toContain('0 issue "letsencrypt.org"');
  });

  it('probe: curl with HTTP/2, nghttp and h2load, dig, Node, testssl.sh, and jq for the checks that read JSON', async () => {
    const result = await inImage(
      'bottle',
      [
        'curl --version | head -1 | grep -q nghttp2',
        'nghttp --version',
        'h2load --version',
        'dig -v 2>&1',
        'node --version',
        'jq --version',
        'testssl.sh --version 2>/dev/null | grep -m1 -o "testssl.sh .*3\\.0[.0-9]*" || testssl.sh --version | head -3',
      ].join('\n'),
      'probe',
    );
    expect(result.exitCode, `${result.stdout}\n${result.stderr}`).toBe(0);
    expect(result.stdout).toMatch(/^v18\./m);
    expect(result.stdout).toMatch(/^jq-1\.6/m);
  });
});
