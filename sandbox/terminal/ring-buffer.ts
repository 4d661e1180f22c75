/** The last `capacityBytes` bytes written, for replaying a terminal's recent output on reconnect. */
export class RingBuffer {
  private chunks: Buffer[] = [];
  private size = 0;

  constructor(readonly capacityBytes: number) {}

  push(chunk: Buffer): void {
    if (chunk.length >= this.capacityBytes) {
      this.chunks = [chunk.subarray(chunk.length - this.capacityBytes)];
      this.size = this.capacityBytes;
      return;
    }
    this.chunks.push(chunk);
    this.size += chunk.length;
    while (this.size > this.capacityBytes) {
      const first = this.chunks[0]!;
      const excess = this.size - this.capacityBytes;
      if (first.length <= excess) {
        this.chunks.shift();
        this.size -= first.length;
      } else {
        this.chunks[0] = first.subarray(excess);
        this.size -= excess;
      }
    }
  }

  contents(): Buffer {
    return Buffer.concat(this.chunks, this.size);
  }

  get length(): number {
    return this.size;
  }
}
