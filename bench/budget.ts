/**
 * Every benchmark finishes or fails with a message within a bounded time: a hung one (a server that
 * never answers) is aborted with what it was doing last, never left to run with no output.
 */
export class BudgetExceeded extends Error {
  override name = 'BudgetExceeded';
}

/** After the signal, how long a benchmark gets to clean up (stop servers, remove sandboxes). */
export const CLEANUP_GRACE_MS = 30_000;

/**
 * Runs `work` with a signal aborted after `budgetMs`. Rejects with BudgetExceeded (naming `lastStep`)
 * as soon as the budget is spent, whether or not `work` has noticed; `settled` says when it did.
 */
export function withinBudget<T>(
  budgetMs: number,
  lastStep: () => string,
  work: (signal: AbortSignal) => Promise<T>,
): { result: Promise<T>; settled: Promise<void> } {
  const controller = new AbortController();
  const running = work(controller.signal);
  const settled = running.then(
    () => {},
    () => {},
  );
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const error = new BudgetExceeded(
        `did not finish within ${Math.round(budgetMs / 1000)} s (last step: ${lastStep()})`,
      );
      controller.abort(error);
      reject(error);
    }, budgetMs);
  });
  const result = Promise.race([running, timeout]).finally(() => clearTimeout(timer));
  return { result, settled };
}

/** Waits for `promise`, or throws `what` once the signal aborts or `ms` pass, whichever is first. */
export async function bounded<T>(
  promise: Promise<T>,
  ms: number,
  what: string,
  signal?: AbortSignal,
): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  let onAbort: (() => void) | undefined;
  const stop = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer within ${Math.round(ms / 1000)} s`)), ms);
    onAbort = () => reject(new Error(`${what}: stopped (${String((signal?.reason as Error)?.message)})`));
    signal?.addEventListener('abort', onAbort, { once: true });
    if (signal?.aborted) onAbort();
  });
  try {
    return await Promise.race([promise, stop]);
  } finally {
    clearTimeout(timer);
    if (onAbort) signal?.removeEventListener('abort', onAbort);
  }
}
