import type { GradingTrigger, StepEvent } from '@/contract';
import { describeError, type SandboxSession } from '@/sandbox';

/** What live steps need of the lab sessions: the first unfinished step, grading it, its events. */
export interface LiveStepsHost {
  get(sessionId: string): SandboxSession | undefined;
  firstUnfinishedStep(session: SandboxSession): string | undefined;
  isGrading(sessionId: string): boolean;
  checkStep(session: SandboxSession, stepId: string, options: { trigger: GradingTrigger }): Promise<unknown>;
  onStepEvent(listener: (sessionId: string, event: StepEvent) => void): void;
  /** Someone opened the lab: get its grader ready, so a Check answers at once. */
  warmGrader(sessionId: string): void;
}

export interface LiveStepsOptions {
  /** With a page open and nothing happening, re-check this often (a server started by other means). */
  tickMs: number;
  /** Nudges this close together make one grading (a burst of prompts, a save right after a command). */
  settleMs: number;
  /**
   * After a command or a save, a failing step is looked at again every `followUpMs` for this long: a
   * server the command started in the background takes a moment to listen.
   */
  followUpForMs: number;
  followUpMs: number;
}

export const DEFAULT_LIVE_STEPS: LiveStepsOptions = {
  tickMs: 4_000,
  settleMs: 50,
  followUpForMs: 3_000,
  followUpMs: 300,
};

interface Watched {
  /** Open event streams and terminal sockets of the session. */
  viewers: number;
  listeners: Set<(event: StepEvent) => void>;
  tick: NodeJS.Timeout;
  settle: NodeJS.Timeout | undefined;
  /** A nudge came: grade (again) once the running grading ends. */
  wanted: GradingTrigger | undefined;
  running: boolean;
  /** Until when a failing step is looked at again soon (after a command or a save). */
  followUpUntil: number;
  followUpTrigger: GradingTrigger | undefined;
}

/**
 * Steps that turn green by themselves: while a learner has the lab open (a lesson page's event stream
 * or a terminal socket), the first unfinished step is re-checked when something happened (a command
 * ended in the terminal, a file was saved, a few seconds passed). At most one grading per session at
 * a time, none when no page is open. Every grading's events (the learner's Checks too) go to the
 * session's event streams.
 */
export class LiveSteps {
  private readonly watched = new Map<string, Watched>();

  constructor(
    private readonly host: LiveStepsHost,
    private readonly options: LiveStepsOptions = DEFAULT_LIVE_STEPS,
  ) {
    host.onStepEvent((sessionId, event) => {
      for (const listener of this.watched.get(sessionId)?.listeners ?? []) listener(event);
    });
  }

  /**
   * A page (with a listener for its events) or a terminal socket (without) has the lab open until
   * the returned function is called. Opening checks at once: the step may have been done meanwhile.
   */
  open(sessionId: string, listener?: (event: StepEvent) => void): () => void {
    let watched = this.watched.get(sessionId);
    if (!watched) {
      const tick = setInterval(() => this.nudge(sessionId, 'tick'), this.options.tickMs);
      tick.unref();
      watched = {
        viewers: 0,
        listeners: new Set(),
        tick,
        settle: undefined,
        wanted: undefined,
        running: false,
        followUpUntil: 0,
        followUpTrigger: undefined,
      };
      this.watched.set(sessionId, watched);
      this.host.warmGrader(sessionId);
    }
    const mine = watched;
    mine.viewers += 1;
    if (listener) mine.listeners.add(listener);
    this.nudge(sessionId, 'tick');
    let closed = false;
    return () => {
      if (closed) return;
      closed = true;
      mine.viewers -= 1;
      if (listener) mine.listeners.delete(listener);
      if (mine.viewers === 0) this.forget(sessionId);
    };
  }

  /** Something happened in the session; ignored when no page has it open. */
  nudge(sessionId: string, trigger: GradingTrigger): void {
    const watched = this.watched.get(sessionId);
    if (!watched) return;
    if (trigger !== 'tick') {
      watched.followUpUntil = Date.now() + this.options.followUpForMs;
      watched.followUpTrigger = trigger;
    }
    this.want(sessionId, watched, trigger, this.options.settleMs);
  }

  private want(sessionId: string, watched: Watched, trigger: GradingTrigger, delayMs: number): void {
    // What the learner did outranks the clock in what the page is told set the grading off.
    if (watched.wanted === undefined || watched.wanted === 'tick') watched.wanted = trigger;
    if (watched.running || watched.settle) return;
    watched.settle = setTimeout(() => {
      watched.settle = undefined;
      void this.run(sessionId, watched);
    }, delayMs);
  }

  /** Sessions with a page or terminal open now. */
  get size(): number {
    return this.watched.size;
  }

  /** The session ended: nothing more to re-check. */
  forget(sessionId: string): void {
    const watched = this.watched.get(sessionId);
    if (!watched) return;
    clearInterval(watched.tick);
    if (watched.settle) clearTimeout(watched.settle);
    this.watched.delete(sessionId);
  }

  private async run(sessionId: string, watched: Watched): Promise<void> {
    const trigger = watched.wanted;
    watched.wanted = undefined;
    const session = this.host.get(sessionId);
    if (!trigger || !session || this.watched.get(sessionId) !== watched) return;
    // A Check of the learner's is running: its result reaches the page; this nudge is spent on it.
    if (this.host.isGrading(sessionId)) return;
    const stepId = this.host.firstUnfinishedStep(session);
    if (!stepId) return;
    watched.running = true;
    let passed = false;
    try {
      const result = (await this.host.checkStep(session, stepId, { trigger })) as { passed?: boolean };
      passed = result.passed === true;
    } catch (error) {
      // The grader being unavailable or the session ending is for the next nudge (or the page) to meet.
      if (!(error instanceof Error && /NotFound|GraderUnavailable/.test(error.name)))
        console.error(`keiko: live check of ${sessionId} failed: ${describeError(error)}`);
    } finally {
      watched.running = false;
    }
    if (this.watched.get(sessionId) !== watched) return;
    // A pass may have finished the next step too (a learner who ran ahead): look at once.
    if (passed) watched.wanted ??= 'tick';
    if (watched.wanted !== undefined) this.want(sessionId, watched, watched.wanted, this.options.settleMs);
    else if (!passed && Date.now() < watched.followUpUntil)
      this.want(sessionId, watched, watched.followUpTrigger ?? 'tick', this.options.followUpMs);
  }
}
