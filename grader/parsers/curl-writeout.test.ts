import { describe, expect, it } from 'vitest';
import {
  formatCookieJar,
  parseCookieJar,
  parseCurlParallel,
  parseCurlTransfer,
  parseSetCookie,
  tamperCookieValue,
} from './curl-writeout';
import { fixtureFile } from './fixture-files';
import { ToolOutputError } from './json-text';

const writeOut = (file: string) => fixtureFile('curl-writeout', file);

describe('parseCurlTransfer on curl 7.88 facts followed by %{header_json}', () => {
  it('reads the facts and every response header, Set-Cookie included', () => {
    const { facts, headers } = parseCurlTransfer(writeOut('header-json-set-cookie.txt'));
    expect(facts).toMatchObject({ http_code: 200, content_type: 'application/json', exitcode: 0 });
    expect(headers['server']).toEqual(['Cheroot/9.0.0']);
    expect(headers['set-cookie']?.[0]).toMatch(/^n="!.*"; HttpOnly; Path=\/; SameSite=Lax$/);
  });

  it('reads the headers of a redirect that was not followed', () => {
    const { facts, headers } = parseCurlTransfer(writeOut('header-json-redirect.txt'));
    expect(facts.http_code).toBe(303);
    expect(headers['location']).toEqual(['http://127.0.0.1:8080/c']);
  });

  it('reads a refused connection as facts with no headers', () => {
    const { facts, headers } = parseCurlTransfer(writeOut('header-json-refused.txt'));
    expect(facts.exitcode).toBe(7);
    expect(headers).toEqual({});
  });

  it('refuses facts without the headers after them, saying so', () => {
    const onlyFacts = writeOut('header-json-set-cookie.txt').split('\n')[0]!;
    expect(() => parseCurlTransfer(onlyFacts)).toThrow(ToolOutputError);
    expect(() => parseCurlTransfer(`${onlyFacts}\n["x"]`)).toThrow(/header_json/);
  });
});

describe('parseCurlParallel on four one-second requests run at once', () => {
  const slowest = (file: string) => Math.max(...parseCurlParallel(writeOut(file)).map((t) => t.time_total));

  it('sees a threaded server (cheroot) answer all four in about one second', () => {
    expect(parseCurlParallel(writeOut('parallel-cheroot.txt'))).toHaveLength(4);
    expect(slowest('parallel-cheroot.txt')).toBeLessThan(1.5);
  });

  it('sees wsgiref answer one at a time: the last one waits about four seconds', () => {
    expect(slowest('parallel-wsgiref.txt')).toBeGreaterThan(3.5);
  });
});

describe('cookies', () => {
  it('reads an HttpOnly cookie from a curl jar (the #HttpOnly_ prefix is not a comment)', () => {
    const [cookie, ...rest] = parseCookieJar(writeOut('cookie-jar-bottle.txt'));
    expect(rest).toEqual([]);
    expect(cookie).toMatchObject({
      domain: '127.0.0.1',
      httpOnly: true,
      path: '/',
      secure: false,
      name: 'n',
    });
    expect(cookie?.value).toMatch(/^"!.+\?.+"$/);
  });

  it('writes a jar curl reads back to the same cookies', () => {
    const cookies = parseCookieJar(writeOut('cookie-jar-bottle.txt'));
    expect(parseCookieJar(formatCookieJar(cookies))).toEqual(cookies);
  });

  it('reads Set-Cookie attributes case-insensitively, flags as true', () => {
    expect(parseSetCookie('n="!a==?b=="; HttpOnly; Path=/; SameSite=Lax')).toEqual({
      name: 'n',
      value: '"!a==?b=="',
      attributes: { httponly: true, path: '/', samesite: 'Lax' },
    });
  });

  it('forges a Bottle signed cookie by changing its signature, keeping its shape', () => {
    const value = '"!p2xgC7IfKD52DmGJ8gEnaw==?gAWVCwAAAAAAAACMAW6UjAExlIaULg=="';
    const forged = tamperCookieValue(value);
    expect(forged).not.toBe(value);
    expect(forged).toHaveLength(value.length);
    expect(forged.split('?')[1]).toBe(value.split('?')[1]);
    expect(tamperCookieValue('visits=3')).not.toBe('visits=3');
  });
});
