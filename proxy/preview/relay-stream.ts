import { Duplex } from 'node:stream';
import type { ByteBudget } from './byte-budget';

export interface RelayStreamOptions {
  budget: ByteBudget;
  /** No byte either way for this long closes the stream. */
  idleMs: number;
}

/**
 * Wraps a byte stream into a sandbox (one relayed connection) with the session's byte budget and an
 * idle limit, and gives it the few socket methods Node's HTTP client calls on its connections, so an
 * `http.Agent` can keep it alive between requests. Back-pressure passes through: a slow reader pauses
 * the sandbox's side, and nothing is buffered beyond the streams' own high-water marks.
 */
export class RelayStream extends Duplex {
  /** Node's HTTP agent reads this to decide whether to call setTimeout. */
  timeout = 0;
  private idleTimer: NodeJS.Timeout | undefined;
  private socketTimer: NodeJS.Timeout | undefined;
  private waiting = false;
  private wanted = true;

  constructor(
    private readonly inner: Duplex,
    private readonly options: RelayStreamOptions,
  ) {
    // Like a socket: the stream closes once its reader has had the last byte (never before).
    super({ allowHalfOpen: false });
    inner.on('data', (chunk: Buffer) => {
      this.activity();
      this.wanted = this.push(chunk);
      const wait = options.budget.spend(chunk.length);
      if (wait > 0) {
        this.waiting = true;
        inner.pause();
        setTimeout(() => {
          this.waiting = false;
          if (this.wanted && !this.destroyed) inner.resume();
        }, wait);
      } else if (!this.wanted) inner.pause();
    });
    inner.on('end', () => this.push(null));
    inner.on('close', () => this.push(null));
    inner.on('error', (error) => this.destroy(error));
    this.activity();
  }

  override _read(): void {
    this.wanted = true;
    if (!this.waiting) this.inner.resume();
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.activity();
    const wait = this.options.budget.spend(chunk.length);
    const send = () => (this.inner.destroyed ? callback() : this.inner.write(chunk, () => callback()));
    if (wait > 0) setTimeout(send, wait);
    else send();
  }

  override _final(callback: (error?: Error | null) => void): void {
    this.inner.end();
    callback();
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    clearTimeout(this.idleTimer);
    clearTimeout(this.socketTimer);
    this.inner.destroy();
    callback(error);
  }

  private activity(): void {
    clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => this.destroy(), this.options.idleMs);
    this.idleTimer.unref();
    if (this.timeout > 0) this.armSocketTimer();
  }

  private armSocketTimer(): void {
    clearTimeout(this.socketTimer);
    this.socketTimer = setTimeout(() => this.emit('timeout'), this.timeout);
    this.socketTimer.unref();
  }

  // The socket methods `http.Agent` and `http.ClientRequest` call on a connection.
  setTimeout(ms: number, listener?: () => void): this {
    // As net.Socket does: a listener is added with a timeout and removed with 0 (Node's HTTP client
    // relies on that, once per request, on a kept-alive connection).
    this.timeout = ms;
    if (ms > 0) {
      if (listener) this.once('timeout', listener);
      this.armSocketTimer();
    } else {
      if (listener) this.removeListener('timeout', listener);
      clearTimeout(this.socketTimer);
    }
    return this;
  }
  setKeepAlive(): this {
    return this;
  }
  setNoDelay(): this {
    return this;
  }
  ref(): this {
    return this;
  }
  unref(): this {
    return this;
  }
}
