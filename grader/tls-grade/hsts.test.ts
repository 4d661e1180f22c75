import { describe, expect, it } from 'vitest';
import { hstsShortfall, parseHsts } from './hsts';

const response = (...headers: string[]) =>
  ['HTTP/1.1 200 OK', 'Content-Length: 3', ...headers, '', ''].join('\r\n');

describe('parseHsts', () => {
  it('reads max-age from the header, whatever its case and other directives', () => {
    expect(parseHsts(response('strict-transport-security: max-age=63072000; includeSubDomains'))).toEqual({
      state: 'present',
      maxAge: 63_072_000,
      header: 'max-age=63072000; includeSubDomains',
    });
    expect(
      parseHsts(response('Strict-Transport-Security: includeSubDomains; MAX-AGE="31536000"')),
    ).toMatchObject({
      maxAge: 31_536_000,
    });
  });

  it('says the header is missing from a response without it', () => {
    expect(parseHsts(response('Server: x'))).toEqual({ state: 'missing', status: 'HTTP/1.1 200 OK' });
  });

  it('reads the final response, not an interim 100 Continue', () => {
    const text = `HTTP/1.1 100 Continue\r\nStrict-Transport-Security: max-age=1\r\n\r\n${response('Strict-Transport-Security: max-age=20000000')}`;
    expect(parseHsts(text)).toMatchObject({ maxAge: 20_000_000 });
  });

  it('keeps the first of two HSTS headers, as a browser does', () => {
    expect(
      parseHsts(
        response('Strict-Transport-Security: max-age=10', 'Strict-Transport-Security: max-age=99999999'),
      ),
    ).toMatchObject({ maxAge: 10 });
  });

  it('has no max-age when the directive is malformed', () => {
    expect(parseHsts(response('Strict-Transport-Security: max-age=1y'))).toMatchObject({ maxAge: null });
  });

  it('knows nothing when no response came back', () => {
    expect(parseHsts('').state).toBe('unknown');
  });
});

describe('hstsShortfall', () => {
  it('accepts 180 days or more, and names what is short otherwise', () => {
    expect(hstsShortfall({ state: 'present', maxAge: 15_552_000, header: '' })).toBeNull();
    expect(hstsShortfall({ state: 'present', maxAge: 15_551_999, header: '' })).toMatch(/under 15552000 s/);
    expect(hstsShortfall({ state: 'missing', status: 'HTTP/1.1 200 OK' })).toMatch(
      /no Strict-Transport-Security/,
    );
  });
});
