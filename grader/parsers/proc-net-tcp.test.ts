import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { bindScope, parseListeningSockets } from './proc-net-tcp';

const captured = readFileSync(new URL('../../tests/fixtures/proc/listening.txt', import.meta.url), 'utf8');

describe('parseListeningSockets', () => {
  it('reads the listening sockets of both tables, with address, port and owner', () => {
    expect(parseListeningSockets(captured)).toEqual([
      { family: 4, address: '0.0.0.0', port: 8080, uid: 1000 },
      { family: 4, address: '127.0.0.1', port: 9090, uid: 1000 },
      { family: 6, address: '::', port: 7070, uid: 1000 },
    ]);
  });

  it('tells all interfaces from loopback only', () => {
    expect(parseListeningSockets(captured).map(bindScope)).toEqual(['all', 'loopback', 'all']);
  });

  it('skips connections that are not listening, and text that is not a table', () => {
    const established =
      '   0: 0100007F:1F90 0100007F:C350 01 00000000:00000000 00:00000000 00000000  1000        0 1 1 0 20 4 30 10 -1\n';
    expect(parseListeningSockets(`header\n${established}---\nnot a table\n`)).toEqual([]);
  });
});
