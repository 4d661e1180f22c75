import { describeError } from '../errors';

/**
 * How long the first thing that needs a session's probe waits for its start. A probe starts in about
 * 300 ms on an idle engine and a few seconds under a burst; past this it counts as failed.
 */
export const PROBE_START_DEADLINE_MS = 30_000;

/** What waiting for a probe's start found. */
export type ProbeOutcome = { ok: true } | { ok: false; reason: string };

/**
 * The start of one session's probe container, which runs in the background once the lab is ready
 * (the learner's shell does not need the probe; a grading, the preview and probe execs do). It
 * never rejects: it records how the start ended, for those that wait for it.
 */
export class ProbeStart {
  private failure: string | undefined;
  private done = false;
  /** Resolves when the start has ended, whether it succeeded or not. */
  readonly settled: Promise<void>;

  constructor(started: Promise<unknown>) {
    this.settled = started.then(
      () => {
        this.done = true;
      },
      (error: unknown) => {
        this.done = true;
        this.failure = `could not start: ${describeError(error)}`;
      },
    );
  }

  /** A probe that is already running (a spare's, an adopted session's). */
  static running(): ProbeStart {
    return new ProbeStart(Promise.resolve());
  }

  /** Whether the start is still under way. */
  get pending(): boolean {
    return !this.done;
  }

  /** Why the start failed, once it has. */
  get failed(): string | undefined {
    return this.failure;
  }

  /** Waits for the start, at most `deadlineMs`: a start that takes longer is reported as failed. */
  async wait(deadlineMs = PROBE_START_DEADLINE_MS): Promise<ProbeOutcome> {
    if (this.pending) {
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<'late'>((resolve) => {
        timer = setTimeout(() => resolve('late'), deadlineMs);
      });
      const outcome = await Promise.race([this.settled, late]);
      clearTimeout(timer);
      if (outcome === 'late')
        return { ok: false, reason: `did not start within ${Math.round(deadlineMs / 1000)} s` };
    }
    return this.failure === undefined ? { ok: true } : { ok: false, reason: this.failure };
  }
}
