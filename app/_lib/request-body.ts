/** Thrown when a request body is larger than the route accepts (HTTP 413). */
export class BodyTooLargeError extends Error {
  override name = 'BodyTooLargeError';
}

/**
 * A request body of at most `maxBytes`: refused from its Content-Length when that says too much, and
 * cut off while streaming otherwise, so an oversized upload is never held in memory whole.
 */
export async function readCappedBody(
  body: ReadableStream<Uint8Array> | null,
  declaredLength: string | null,
  maxBytes: number,
): Promise<Buffer> {
  const tooLarge = (size: number | string) =>
    new BodyTooLargeError(
      `The content is ${size} bytes; a file written through the editor is ${maxBytes} bytes at most.`,
    );
  const declared = declaredLength === null ? NaN : Number(declaredLength);
  if (Number.isFinite(declared) && declared > maxBytes) {
    await body?.cancel().catch(() => {});
    throw tooLarge(declared);
  }
  if (!body) return Buffer.alloc(0);
  const reader = body.getReader();
  const chunks: Buffer[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel().catch(() => {});
      throw tooLarge(`more than ${maxBytes}`);
    }
    chunks.push(Buffer.from(value));
  }
  return Buffer.concat(chunks);
}
