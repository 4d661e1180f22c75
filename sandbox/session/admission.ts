import { TooManyRequestsError } from '../errors';
import type { PlatformLimits } from '../limits';

/** Counts events per key over the last minute: a sliding window, pruned as it goes. */
export class RateWindow {
  private readonly events = new Map<string, number[]>();

  constructor(
    private readonly perMinute: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Records one event for the key, or says in how many seconds one would fit (undefined: it did). */
  take(key: string): number | undefined {
    const now = this.now();
    const recent = (this.events.get(key) ?? []).filter((at) => now - at < 60_000);
    if (recent.length >= this.perMinute) {
      this.events.set(key, recent);
      return Math.max(1, Math.ceil((recent[0]! + 60_000 - now) / 1000));
    }
    recent.push(now);
    this.events.set(key, recent);
    if (this.events.size > 10_000) this.prune(now);
    return undefined;
  }

  private prune(now: number): void {
    for (const [key, times] of this.events)
      if (times.every((at) => now - at >= 60_000)) this.events.delete(key);
  }
}

/**
 * Who may start a sandbox now: at most `liveSessions` in all, `startsPerAddressPerMinute` per client
 * address, and `concurrentStarts` being created at once with `queuedStarts` waiting their turn in
 * order. Anything over gets a TooManyRequestsError naming the limit and when to retry.
 */
export class StartAdmission {
  private readonly perAddress: RateWindow;
  private starting = 0;
  /** Turns whose session does not exist yet: with the live ones, what the live-session limit counts. */
  private unmade = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(
    private readonly limits: PlatformLimits,
    now: () => number = Date.now,
  ) {
    this.perAddress = new RateWindow(limits.startsPerAddressPerMinute, now);
  }

  /**
   * Waits for a turn to create a sandbox. `live` is how many sessions live now; `address` is the
   * client's (none for the CLI). Resolves with the function that ends the turn.
   */
  async admit(live: number, address: string | undefined): Promise<AdmissionTurn> {
    if (live + this.unmade + this.waiting.length >= this.limits.liveSessions)
      throw new TooManyRequestsError(
        `Keiko is running its limit of ${this.limits.liveSessions} lab sessions; try again in a minute, when one has ended.`,
        'liveSessions',
        60,
      );
    if (address !== undefined) {
      const retry = this.perAddress.take(address);
      if (retry !== undefined)
        throw new TooManyRequestsError(
          `This address started ${this.limits.startsPerAddressPerMinute} lab sessions in the last minute; try again in ${retry} s.`,
          'startsPerAddressPerMinute',
          retry,
        );
    }
    if (this.starting >= this.limits.concurrentStarts) {
      if (this.waiting.length >= this.limits.queuedStarts)
        throw new TooManyRequestsError(
          `${this.limits.concurrentStarts + this.waiting.length} lab sessions are starting right now; try again in a few seconds.`,
          'queuedStarts',
          5,
        );
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    } else this.starting += 1;
    this.unmade += 1;
    let ended = false;
    let made = false;
    const sessionMade = () => {
      if (made) return;
      made = true;
      this.unmade -= 1;
    };
    const end = () => {
      if (ended) return;
      ended = true;
      sessionMade();
      const next = this.waiting.shift();
      if (next) next();
      else this.starting -= 1;
    };
    return Object.assign(end, { sessionMade });
  }
}

/**
 * A turn to start a sandbox: call it to end the turn. `sessionMade` says its session now exists (and
 * so counts among the live ones): a turn may last longer than that (until the probe has started, to
 * pace a burst), and must not count twice against the live-session limit meanwhile.
 */
export type AdmissionTurn = (() => void) & { sessionMade(): void };
