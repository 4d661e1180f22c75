import { describe, expect, it } from 'vitest';
import { NotCurlJsonError, parseCurlJson } from './curl-json';
import { fixture, fixtureNames, fixtureNote } from './fixture-files';

const curl = (name: string) => parseCurlJson(fixture('curl', name));

describe('parseCurlJson on curl 7.88 output captured in keiko/probe', () => {
  it('reads an HTTP/1.1 request to Bottle with the body discarded', () => {
    expect(curl('http11-bottle')).toMatchObject({
      http_code: 200,
      http_version: '1.1',
      scheme: 'HTTP',
      content_type: 'text/html; charset=UTF-8',
      redirect_url: null,
      num_redirects: 0,
      size_download: 14,
      exitcode: 0,
      errormsg: null,
      filename_effective: '/dev/null',
    });
  });

  it('reads HTTP/1.0 (Python servers) as curl names it, "1"', () => {
    const facts = parseCurlJson(fixture('curl', 'http10-python-http-server'));
    expect(facts).toMatchObject({ http_code: 200, http_version: '1', exitcode: 0 });
  });

  it('reads the facts when the body went to a file', () => {
    const facts = curl('http11-bottle-body-to-file');
    expect(facts).toMatchObject({ content_type: 'application/json', filename_effective: '/tmp/body.json' });
    expect(facts.size_download).toBe('{"ok": true, "items": [1, 2, 3]}'.length);
  });

  it('reads the JSON that %{stderr} sent to stderr while the body went to stdout', () => {
    expect(curl('json-on-stderr-bottle')).toMatchObject({
      http_code: 200,
      filename_effective: null,
      exitcode: 0,
    });
  });

  it('reports HTTP/1.1 when --http2 was asked of a TLS server without ALPN (the trap)', () => {
    const facts = curl('http2-asked-http11-tls-cheroot');
    expect(facts).toMatchObject({ http_version: '1.1', http_code: 200, scheme: 'HTTPS', exitcode: 0 });
    expect(facts.ssl_verify_result).toBe(18); // -k let the self-signed certificate through
    expect(fixtureNote('curl', 'http2-asked-http11-tls-cheroot')).toContain('--http2');
  });

  it('reports HTTP/2 over TLS with a certificate trusted through --cacert', () => {
    expect(curl('http2-tls-node')).toMatchObject({
      http_version: '2',
      scheme: 'HTTPS',
      ssl_verify_result: 0,
      num_certs: 2,
      url_effective: 'https://lab.test:8447/hello/keiko',
    });
  });

  it('reports HTTP/2 with prior knowledge over plain HTTP', () => {
    expect(curl('http2-prior-knowledge-node')).toMatchObject({
      http_version: '2',
      scheme: 'HTTP',
      http_code: 200,
    });
  });

  it('reads a failed h2c attempt against an HTTP/1.1 server as facts', () => {
    expect(curl('http2-prior-knowledge-http11-bottle')).toMatchObject({
      exitcode: 52,
      errormsg: 'Empty reply from server',
      http_code: 0,
      http_version: '0',
    });
  });

  it('gives the absolute Location of a redirect that was not followed', () => {
    expect(curl('redirect-bottle')).toMatchObject({
      http_code: 303,
      redirect_url: 'http://127.0.0.1:8080/hello/keiko',
      num_redirects: 0,
    });
  });

  it('counts a redirect that -L followed', () => {
    expect(curl('redirect-bottle-followed')).toMatchObject({
      http_code: 200,
      redirect_url: null,
      num_redirects: 1,
      url: 'http://127.0.0.1:8080/old',
      url_effective: 'http://127.0.0.1:8080/hello/keiko',
    });
  });

  it('reads a refused connection: non-zero exit code, still JSON', () => {
    const facts = curl('connection-refused');
    expect(facts).toMatchObject({
      exitcode: 7,
      http_code: 0,
      http_version: '0',
      scheme: null,
      remote_ip: '',
    });
    expect(facts.errormsg).toMatch(/Couldn't connect to server/);
  });

  it('reads an untrusted self-signed certificate', () => {
    expect(curl('self-signed-untrusted')).toMatchObject({
      exitcode: 60,
      ssl_verify_result: 18,
      errormsg: 'SSL certificate problem: self-signed certificate',
    });
  });

  it("reads a server's refusal of an old protocol", () => {
    const facts = curl('tls-old-protocol-refused');
    expect(facts.exitcode).toBe(35);
    expect(facts.errormsg).toMatch(/tlsv1 alert protocol version/);
  });

  it('reads a timeout', () => {
    const facts = curl('timeout');
    expect(facts.exitcode).toBe(28);
    expect(facts.time_total).toBeGreaterThanOrEqual(1);
  });
});

describe('parseCurlJson refuses what is not curl JSON, saying why', () => {
  const refusal = (text: string): NotCurlJsonError => {
    try {
      parseCurlJson(text);
    } catch (error) {
      if (error instanceof NotCurlJsonError) return error;
      throw error;
    }
    throw new Error('parseCurlJson accepted the text');
  };

  it('refuses the body and the JSON on one stream (no -o), pointing at -o', () => {
    const error = refusal(fixture('curl', 'not-json-body-on-stdout'));
    expect(error.message).toMatch(/before the JSON object/);
    expect(error.message).toMatch(/-o FILE/);
    expect(error.excerpt).toContain('Hello, keiko!');
  });

  it("refuses -w '%{http_code}' output", () => {
    expect(refusal(fixture('curl', 'not-json-http-code-only')).message).toMatch(
      /the number 200, not an object/,
    );
  });

  it('refuses empty output', () => {
    expect(refusal('').message).toMatch(/it is empty/);
  });

  it('refuses a truncated write-out', () => {
    expect(refusal(fixture('curl', 'http11-bottle').slice(0, 300)).message).toMatch(/not JSON/);
  });

  it('refuses two write-outs (several URLs)', () => {
    const one = fixture('curl', 'http11-bottle');
    expect(refusal(`${one}${one}`).message).toMatch(/more than one JSON object/);
  });

  it("refuses another tool's JSON, naming a missing fact", () => {
    expect(refusal(fixture('tls', 'tls13-modern-alpn-h2')).message).toMatch(/without curl's facts \(url: /);
  });
});

describe('curl fixtures', () => {
  it.each(fixtureNames('curl'))('%s has its command beside it and parses unless named not-json', (name) => {
    expect(fixtureNote('curl', name)).toMatch(/```sh\n\s+docker run .*keiko\/probe:latest curl /);
    if (name.startsWith('not-json')) expect(() => curl(name)).toThrow(NotCurlJsonError);
    else expect(curl(name).curl_version).toMatch(/^libcurl\/7\.88\.1 /);
  });
});
