import { describe, expect, it } from 'vitest';
import { selectBySni, sniPatternMatches } from './sni';

describe('sniPatternMatches', () => {
  it.each([
    ['example.com', 'example.com', true],
    ['EXAMPLE.com', 'example.COM', true],
    ['www.example.com', 'example.com', false],
    ['api.example.com', '*.example.com', true],
    ['deep.api.example.com', '*.example.com', false],
    ['example.com', '*.example.com', false],
    ['.example.com', '*.example.com', false],
    ['badexample.com', '*.example.com', false],
  ])('%s against %s: %s', (name, pattern, matches) => {
    expect(sniPatternMatches(name, pattern)).toBe(matches);
  });
});

describe('selectBySni', () => {
  const certs = [
    { host: '*.example.com', id: 'wildcard' },
    { host: 'api.example.com', id: 'exact' },
    { host: 'example.test', id: 'test' },
  ];

  it('takes the first entry that matches, in command-line order', () => {
    expect(selectBySni('api.example.com', certs)).toEqual(certs[0]);
    expect(selectBySni('example.test', certs)).toEqual(certs[2]);
  });

  it("fails without SNI and for unknown names, with hprox's messages", () => {
    expect(selectBySni(undefined, certs)).toEqual(new Error('SNI: unspecified'));
    expect(selectBySni('other.test', certs)).toEqual(new Error('SNI: unknown hostname ("other.test")'));
  });
});
