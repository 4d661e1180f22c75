import { describe, expect, it } from 'vitest';
import { RingBuffer } from './ring-buffer';

describe('RingBuffer', () => {
  it('keeps everything while under capacity', () => {
    const ring = new RingBuffer(10);
    ring.push(Buffer.from('abc'));
    ring.push(Buffer.from('def'));
    expect(ring.contents().toString()).toBe('abcdef');
  });

  it('keeps only the newest bytes past capacity, cutting inside a chunk when needed', () => {
    const ring = new RingBuffer(5);
    ring.push(Buffer.from('abc'));
    ring.push(Buffer.from('defg'));
    expect(ring.contents().toString()).toBe('cdefg');
    ring.push(Buffer.from('0123456789'));
    expect(ring.contents().toString()).toBe('56789');
    expect(ring.length).toBe(5);
  });
});
