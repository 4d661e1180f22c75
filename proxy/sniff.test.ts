import { describe, expect, it } from 'vitest';
import { classify, HTTP2_PREFACE } from './sniff';

describe('classify', () => {
  it('sees a TLS ClientHello in its first byte', () => {
    expect(classify(Buffer.from([0x16, 0x03, 0x01]))).toBe('tls');
  });

  it('needs the whole 24-byte preface to call a connection h2c', () => {
    expect(classify(HTTP2_PREFACE.subarray(0, 3))).toBeUndefined();
    expect(classify(HTTP2_PREFACE.subarray(0, 23))).toBeUndefined();
    expect(classify(Buffer.concat([HTTP2_PREFACE, Buffer.from([0, 0, 0])]))).toBe('h2c');
  });

  it('calls anything else HTTP/1 as soon as it differs from the preface', () => {
    expect(classify(Buffer.from('GET / HTTP/1.1\r\n'))).toBe('http1');
    expect(classify(Buffer.from('P'))).toBeUndefined();
    expect(classify(Buffer.from('POST / HTTP/1.1\r\n'))).toBe('http1');
    expect(classify(Buffer.alloc(0))).toBeUndefined();
  });
});
