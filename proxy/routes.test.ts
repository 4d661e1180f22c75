import { describe, expect, it } from 'vitest';
import { findRoute, hostWithoutPort, parseRoute, parseUpstream, sortRoutes } from './routes';

describe('parseRoute', () => {
  it.each([
    ['127.0.0.1:8080', { prefix: '/', upstream: { host: '127.0.0.1', port: 8080, tls: false } }],
    ['backend', { prefix: '/', upstream: { host: 'backend', port: 80, tls: false } }],
    [
      'archive.ubuntu.com:443',
      { prefix: '/', upstream: { host: 'archive.ubuntu.com', port: 443, tls: true } },
    ],
    ['/api/127.0.0.1:8080', { prefix: '/api', upstream: { host: '127.0.0.1', port: 8080, tls: false } }],
    [
      '/api/v1/127.0.0.1:8080',
      { prefix: '/api/v1', upstream: { host: '127.0.0.1', port: 8080, tls: false } },
    ],
    ['/[::1]:8080', { prefix: '/', upstream: { host: '::1', port: 8080, tls: false } }],
    [
      '//Example.COM/127.0.0.1:8080',
      { domain: 'example.com', prefix: '/', upstream: { host: '127.0.0.1', port: 8080, tls: false } },
    ],
    [
      '//example.com/static/127.0.0.1:9000',
      { domain: 'example.com', prefix: '/static', upstream: { host: '127.0.0.1', port: 9000, tls: false } },
    ],
  ])('%s', (spec, expected) => {
    expect(parseRoute(spec)).toEqual({ ...expected, spec });
  });

  it('treats port 443 as TLS, like hprox', () => {
    expect(parseUpstream('example.org:443').tls).toBe(true);
    expect(parseUpstream('example.org:8443').tls).toBe(false);
  });
});

describe('sortRoutes', () => {
  it('puts domain routes first, then longer prefixes, otherwise keeps the given order', () => {
    const routes = [
      '127.0.0.1:1',
      '/longer/127.0.0.1:2',
      '//x.test/127.0.0.1:3',
      '//x.test/api/127.0.0.1:4',
      '/b/127.0.0.1:5',
      '/a/127.0.0.1:6',
    ].map(parseRoute);
    expect(sortRoutes(routes).map((route) => route.spec)).toEqual([
      '//x.test/api/127.0.0.1:4',
      '//x.test/127.0.0.1:3',
      '/longer/127.0.0.1:2',
      '/b/127.0.0.1:5',
      '/a/127.0.0.1:6',
      '127.0.0.1:1',
    ]);
  });
});

describe('findRoute', () => {
  const table = sortRoutes(
    ['127.0.0.1:1', '/api/127.0.0.1:2', '//example.com/127.0.0.1:3', '//example.com/api/127.0.0.1:4'].map(
      parseRoute,
    ),
  );
  const find = (host: string | undefined, path: string) => {
    const match = findRoute(table, host, path);
    return match && { port: match.route.upstream.port, path: match.upstreamPath };
  };

  it('prefers the route for the request host, matched without its port and case', () => {
    expect(find('EXAMPLE.com:8000', '/api/users')).toEqual({ port: 4, path: '/users' });
    expect(find('example.com', '/other')).toEqual({ port: 3, path: '/other' });
  });

  it('falls back to host-less routes for other hosts and for no host at all', () => {
    expect(find('other.test', '/api/users')).toEqual({ port: 2, path: '/users' });
    expect(find(undefined, '/api/users')).toEqual({ port: 2, path: '/users' });
    expect(find('other.test', '/')).toEqual({ port: 1, path: '/' });
  });

  it('strips the prefix keeping the leading slash, and keeps the query', () => {
    expect(find('x', '/api')).toEqual({ port: 2, path: '/' });
    expect(find('x', '/api/')).toEqual({ port: 2, path: '/' });
    expect(find('x', '/api?q=1')).toEqual({ port: 2, path: '/?q=1' });
    expect(find('x', '/api/a/b?q=/api/')).toEqual({ port: 2, path: '/a/b?q=/api/' });
  });

  it('matches prefixes on path-segment boundaries only', () => {
    expect(find('x', '/apiary')).toEqual({ port: 1, path: '/apiary' });
  });

  it('finds nothing when no route covers the request', () => {
    const only = [parseRoute('//example.com/127.0.0.1:3')];
    expect(findRoute(only, 'other.test', '/')).toBeUndefined();
    expect(findRoute([], 'example.com', '/')).toBeUndefined();
  });
});

describe('hostWithoutPort', () => {
  it.each([
    ['example.com:8000', 'example.com'],
    ['Example.com', 'example.com'],
    ['[::1]:8000', '::1'],
    ['[::1]', '::1'],
    ['::1', '::1'],
  ])('%s -> %s', (authority, host) => {
    expect(hostWithoutPort(authority)).toBe(host);
  });
});
