import { describe, expect, it } from 'vitest';
import {
  clientResponseHeaders,
  isWebSocketUpgrade,
  plainAddress,
  requestAuthority,
  requestHead,
  upstreamRequestHeaders,
} from './headers';

const context = { clientAddress: '::ffff:203.0.113.7', secure: true, upstreamAuthority: '127.0.0.1:8080' };

describe('upstreamRequestHeaders', () => {
  it("keeps the client's Host and states X-Forwarded-For, -Proto and -Host itself", () => {
    const out = upstreamRequestHeaders({ host: 'example.test:8000', accept: '*/*' }, context);
    expect(out).toEqual({
      host: 'example.test:8000',
      accept: '*/*',
      'x-forwarded-for': '203.0.113.7',
      'x-forwarded-proto': 'https',
      'x-forwarded-host': 'example.test:8000',
    });
  });

  it("uses HTTP/2's :authority as the Host and drops every pseudo-header", () => {
    const out = upstreamRequestHeaders(
      {
        ':method': 'GET',
        ':path': '/x',
        ':scheme': 'https',
        ':authority': 'example.test:8000',
        cookie: 'a=1; b=2',
      },
      { ...context, secure: false },
    );
    expect(out).toEqual({
      host: 'example.test:8000',
      cookie: 'a=1; b=2',
      'x-forwarded-for': '203.0.113.7',
      'x-forwarded-proto': 'http',
      'x-forwarded-host': 'example.test:8000',
    });
  });

  it('drops forgeable headers a client sent instead of passing them on', () => {
    const out = upstreamRequestHeaders(
      {
        host: 'example.test',
        'x-forwarded-for': '6.6.6.6',
        'x-forwarded-proto': 'http',
        'x-forwarded-host': 'evil.test',
        'x-forwarded-port': '1',
        forwarded: 'for=6.6.6.6',
        'x-real-ip': '6.6.6.6',
        'x-scheme': 'http',
        'proxy-authorization': 'Basic eDp5',
        'cf-connecting-ip': '6.6.6.6',
        'cdn-loop': 'x',
        authorization: 'Bearer kept',
      },
      context,
    );
    expect(out).toEqual({
      host: 'example.test',
      authorization: 'Bearer kept',
      'x-forwarded-for': '203.0.113.7',
      'x-forwarded-proto': 'https',
      'x-forwarded-host': 'example.test',
    });
  });

  it('drops hop-by-hop headers, those the Connection header names, and Expect', () => {
    const out = upstreamRequestHeaders(
      {
        host: 'h',
        connection: 'keep-alive, X-Hop',
        'keep-alive': 'timeout=5',
        'x-hop': '1',
        'transfer-encoding': 'chunked',
        te: 'trailers',
        upgrade: 'h2c',
        'http2-settings': 'AAMAAABkAAQAoAAAAAIAAAAA',
        expect: '100-continue',
        'content-length': '5',
      },
      context,
    );
    expect(Object.keys(out).sort()).toEqual([
      'content-length',
      'host',
      'http2-settings',
      'x-forwarded-for',
      'x-forwarded-host',
      'x-forwarded-proto',
    ]);
  });

  it('keeps Connection: Upgrade and Upgrade for a WebSocket handshake passed raw', () => {
    const out = upstreamRequestHeaders(
      { host: 'h', connection: 'Upgrade', upgrade: 'websocket', 'sec-websocket-key': 'k' },
      { ...context, upgrade: true },
    );
    expect(out).toMatchObject({ connection: 'Upgrade', upgrade: 'websocket', 'sec-websocket-key': 'k' });
  });

  it("sends the backend's own address as Host, and no X-Forwarded-Host, when the client sent no Host", () => {
    const out = upstreamRequestHeaders({}, context);
    expect(out.host).toBe('127.0.0.1:8080');
    expect(out['x-forwarded-host']).toBeUndefined();
  });
});

describe('clientResponseHeaders', () => {
  it("removes what HTTP/2 forbids, and replaces the backend's Server and Date", () => {
    const out = clientResponseHeaders(
      {
        'content-type': 'text/html',
        'set-cookie': ['a=1', 'b=2'],
        connection: 'keep-alive, x-internal',
        'x-internal': 'yes',
        'keep-alive': 'timeout=5',
        'transfer-encoding': 'chunked',
        'proxy-connection': 'keep-alive',
        upgrade: 'h2c',
        server: 'WSGIServer/0.2 CPython/3.11.2',
        date: 'Mon, 01 Jan 2024 00:00:00 GMT',
        location: 'https://example.test:8000/x',
      },
      { serverName: 'h2proxy' },
    );
    expect(out).toEqual({
      'content-type': 'text/html',
      'set-cookie': ['a=1', 'b=2'],
      location: 'https://example.test:8000/x',
      server: 'h2proxy',
    });
  });
});

describe('small helpers', () => {
  it('reads the authority from :authority first, then Host', () => {
    expect(requestAuthority({ ':authority': 'a.test', host: 'b.test' })).toBe('a.test');
    expect(requestAuthority({ host: 'b.test' })).toBe('b.test');
    expect(requestAuthority({})).toBeUndefined();
  });

  it('shows IPv4 clients of a dual-stack socket as IPv4', () => {
    expect(plainAddress('::ffff:127.0.0.1')).toBe('127.0.0.1');
    expect(plainAddress('::1')).toBe('::1');
    expect(plainAddress(undefined)).toBeUndefined();
  });

  it('recognises WebSocket upgrades only', () => {
    expect(isWebSocketUpgrade({ upgrade: 'WebSocket' })).toBe(true);
    expect(isWebSocketUpgrade({ upgrade: 'h2c' })).toBe(false);
    expect(isWebSocketUpgrade({})).toBe(false);
  });

  it('writes a raw request head with repeated headers on their own lines', () => {
    expect(requestHead('GET', '/ws', { host: 'h', 'x-a': ['1', '2'] })).toBe(
      'GET /ws HTTP/1.1\r\nhost: h\r\nx-a: 1\r\nx-a: 2\r\n\r\n',
    );
  });
});
