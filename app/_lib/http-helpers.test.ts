import { describe, expect, it } from 'vitest';
import { contentCondition, etagOf, parseEntityTags } from './entity-tags';
import { readCappedBody } from './request-body';

const HASH = 'a'.repeat(64);

describe('entity tags', () => {
  it('are the content hash in quotes', () => {
    expect(etagOf(HASH)).toBe(`"${HASH}"`);
  });

  it('parses lists, weak tags and *', () => {
    expect(parseEntityTags(null)).toEqual([]);
    expect(parseEntityTags(' * ')).toBe('*');
    expect(parseEntityTags('"a", W/"b"')).toEqual([
      { tag: '"a"', weak: false },
      { tag: '"b"', weak: true },
    ]);
  });

  it('If-Match compares strongly: a weak tag of the same bytes matches nothing', () => {
    expect(contentCondition(`W/"${HASH}"`, 'strong')).toEqual([]);
    expect(contentCondition(`"${HASH}"`, 'strong')).toEqual([HASH]);
    expect(contentCondition('*', 'strong')).toBe('*');
  });

  it('If-None-Match compares weakly, and no header is no condition', () => {
    expect(contentCondition(`W/"${HASH}"`, 'weak')).toEqual([HASH]);
    expect(contentCondition(null, 'weak')).toBeUndefined();
    expect(contentCondition('  ', 'weak')).toBeUndefined();
  });
});

describe('readCappedBody', () => {
  const stream = (...chunks: string[]) =>
    new ReadableStream<Uint8Array>({
      start(controller) {
        for (const chunk of chunks) controller.enqueue(new TextEncoder().encode(chunk));
        controller.close();
      },
    });

  it('reads a body within the limit', async () => {
    expect((await readCappedBody(stream('ab', 'c'), '3', 3)).toString()).toBe('abc');
    expect((await readCappedBody(null, null, 3)).length).toBe(0);
  });

  it('refuses a declared or streamed body over the limit', async () => {
    await expect(readCappedBody(stream('abcd'), '4', 3)).rejects.toMatchObject({ name: 'BodyTooLargeError' });
    await expect(readCappedBody(stream('ab', 'cd'), null, 3)).rejects.toMatchObject({
      name: 'BodyTooLargeError',
      message: expect.stringMatching(/more than 3 bytes/),
    });
  });
});
