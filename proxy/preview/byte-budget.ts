/**
 * A token bucket of bytes per second, shared by every connection of one sandbox: whoever spends past
 * it waits. It holds one second's worth at most, so a quiet session may burst that much.
 */
export class ByteBudget {
  private tokens: number;
  private last: number;

  constructor(
    readonly bytesPerSecond: number,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.tokens = bytesPerSecond;
    this.last = this.now();
  }

  /** Spends `bytes` and says how many milliseconds the spender should wait before more. */
  spend(bytes: number): number {
    const at = this.now();
    this.tokens = Math.min(
      this.bytesPerSecond,
      this.tokens + ((at - this.last) / 1000) * this.bytesPerSecond,
    );
    this.last = at;
    this.tokens -= bytes;
    return this.tokens >= 0 ? 0 : Math.ceil((-this.tokens / this.bytesPerSecond) * 1000);
  }
}
