/**
 * How sandboxes start under a burst: at most a few at once, the rest waiting in arrival order. The
 * engine serialises much of a container's creation (its store, its network namespace, its cgroups),
 * so 50 creates at once do not finish sooner than 50 in a few lanes: they all finish late together,
 * and every learner waits for the slowest. In lanes, the first learners are served at the engine's
 * own pace and the queue drains in order.
 */
import { Semaphore } from './semaphore';

/** Sandboxes created at once; the engine on a 2-core host gains nothing from more. */
export const DEFAULT_CONCURRENT_STARTS = 4;

export class StartQueue {
  private readonly lanes: Semaphore;

  constructor(size = DEFAULT_CONCURRENT_STARTS) {
    this.lanes = new Semaphore(Math.max(1, size));
  }

  /** Runs `start` once a lane is free (first come, first served). */
  async run<T>(start: () => Promise<T>): Promise<T> {
    const release = await this.lanes.acquire();
    try {
      return await start();
    } finally {
      release();
    }
  }
}

/**
 * Waits for every promise, then throws the first rejection: steps run side by side must all have
 * ended (and recorded what they made) before a failure's clean-up looks at what exists.
 */
export async function settleAll(promises: Promise<unknown>[]): Promise<void> {
  const outcomes = await Promise.allSettled(promises);
  const failed = outcomes.find((outcome): outcome is PromiseRejectedResult => outcome.status === 'rejected');
  if (failed) throw failed.reason;
}
