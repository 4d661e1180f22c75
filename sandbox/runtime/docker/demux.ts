/**
 * Splits the engine's multiplexed log format (an 8-byte header per frame: stream id, 3 zero bytes,
 * big-endian length) into stdout and stderr. Used for containers created without a TTY.
 */
export function demuxDockerFrames(buffer: Buffer): { stdout: Buffer; stderr: Buffer } {
  const stdout: Buffer[] = [];
  const stderr: Buffer[] = [];
  let offset = 0;
  while (offset + 8 <= buffer.length) {
    const stream = buffer[offset];
    const length = buffer.readUInt32BE(offset + 4);
    const payload = buffer.subarray(offset + 8, offset + 8 + length);
    (stream === 2 ? stderr : stdout).push(payload);
    offset += 8 + length;
  }
  return { stdout: Buffer.concat(stdout), stderr: Buffer.concat(stderr) };
}
