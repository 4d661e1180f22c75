import { describe, expect, it } from 'vitest';
import { FrameSplitter } from './stream';

function frame(kind: 1 | 2, text: string): Buffer {
  const payload = Buffer.from(text);
  const header = Buffer.alloc(8);
  header[0] = kind;
  header.writeUInt32BE(payload.length, 4);
  return Buffer.concat([header, payload]);
}

describe('FrameSplitter', () => {
  it('splits stdout from stderr even when frames arrive cut at any byte', () => {
    const bytes = Buffer.concat([frame(2, 'connected\n'), frame(1, 'HTTP/1.1 200 OK'), frame(1, '\r\n')]);
    for (let cut = 1; cut < bytes.length; cut += 1) {
      const seen: string[] = [];
      const splitter = new FrameSplitter((kind, payload) => seen.push(`${kind}:${payload.toString()}`));
      splitter.push(bytes.subarray(0, cut));
      splitter.push(bytes.subarray(cut));
      expect(seen.join('|')).toBe('stderr:connected\n|stdout:HTTP/1.1 200 OK|stdout:\r\n');
    }
  });
});
