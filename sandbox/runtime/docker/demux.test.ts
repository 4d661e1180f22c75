import { describe, expect, it } from 'vitest';
import { demuxDockerFrames } from './demux';

function frame(stream: 1 | 2, text: string): Buffer {
  const payload = Buffer.from(text);
  const header = Buffer.alloc(8);
  header[0] = stream;
  header.writeUInt32BE(payload.length, 4);
  return Buffer.concat([header, payload]);
}

describe('demuxDockerFrames', () => {
  it('separates interleaved stdout and stderr frames in order', () => {
    const { stdout, stderr } = demuxDockerFrames(
      Buffer.concat([frame(1, 'out1 '), frame(2, 'err1 '), frame(1, 'out2'), frame(2, 'err2')]),
    );
    expect(stdout.toString()).toBe('out1 out2');
    expect(stderr.toString()).toBe('err1 err2');
  });

  it('ignores a truncated trailing header', () => {
    expect(demuxDockerFrames(Buffer.concat([frame(1, 'ok'), Buffer.from([1, 0, 0])])).stdout.toString()).toBe(
      'ok',
    );
  });
});
