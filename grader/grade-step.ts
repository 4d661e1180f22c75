import { describeError } from '@/sandbox';
import { kindOf, type Check } from './check-registry';
import { NOT_READY_FAILURES } from './failure';
import type { CheckResult, StepResult } from './result';
import type { CheckContext, GraderSandbox } from './sandbox-port';
import { justStarted, mayBeStartUp, STARTING_POLL_MS, STARTING_WINDOW_MS } from './still-starting';

/** What the grader needs of a lab step: its id and its checks. */
export interface GradableStep {
  id: string;
  checks: readonly Check[];
}

/** What grading reports while it runs: a check started, or a check has its verdict. */
export type GradeProgress =
  | { index: number; name: string; state: 'running' }
  | { index: number; name: string; state: 'done'; result: CheckResult };

export interface GradeOptions {
  /**
   * Keep every retry a check allows whatever the failure: for `keiko test-labs` and solutions, which
   * start a server and check it at once. A learner's click is not patient: only a server that says it
   * is still starting gets more chances.
   */
  patient?: boolean;
  onProgress?: (progress: GradeProgress) => void;
}

/** Errors that say the grader could not run, not that the learner's work failed: never a verdict. */
const NOT_A_VERDICT = new Set(['GraderUnavailableError', 'ProbeUnavailableError', 'SessionNotFoundError']);

export function checkName(check: Check): string {
  if (check.name) return check.name;
  const { kind, body } = kindOf(check);
  return kind.defaultName(body);
}

function runOnce(check: Check, name: string, context: CheckContext): Promise<CheckResult> {
  const { kind, body } = kindOf(check);
  return kind.run(body, name, context);
}

/** The lab's hint for how the check failed, or its catch-all one. */
function withHint(check: Check, result: CheckResult): CheckResult {
  if (result.passed || !check.hints) return result;
  const hint = (result.failure && check.hints[result.failure]) ?? check.hints.other;
  return hint === undefined ? result : { ...result, hint };
}

/**
 * Runs one check with its retries: a server that is still starting gets `retries` more chances. For
 * a caller that is not patient only a failure that says "still starting" (NOT_READY_FAILURES) is
 * tried again, or one a process started a moment ago may still cause (still-starting.ts), for as long
 * as that start is recent; any other is the answer at once.
 */
export async function runCheck(
  check: Check,
  sandbox: GraderSandbox,
  sessionId: string,
  probeScripts: CheckContext['probeScripts'],
  options: GradeOptions = {},
  lab: LabStartUp = new LabStartUp(),
): Promise<CheckResult> {
  const context: CheckContext = { sandbox, sessionId, probeScripts, timeoutMs: check.timeoutMs };
  const startingUntil = performance.now() + STARTING_WINDOW_MS;
  const asked: Asked = { index: 0, check, context, result: await firstVerdict(check, context, options) };
  await untilStarted([asked], options, lab, startingUntil);
  return asked.result;
}

/** The check's verdict once the retries its failure earns are spent (the still-starting wait apart). */
async function firstVerdict(
  check: Check,
  context: CheckContext,
  options: GradeOptions,
): Promise<CheckResult> {
  const name = checkName(check);
  for (let attempt = 0; ; attempt += 1) {
    const result = await attemptCheck(check, name, context);
    if (result.passed) return withHint(check, result);
    const notReady = result.failure !== undefined && NOT_READY_FAILURES.has(result.failure);
    if (attempt < check.retries && (options.patient || notReady)) {
      await sleep(check.delayMs);
      continue;
    }
    return withHint(check, result);
  }
}

/** Whether a failed verdict may still be a lab process starting, so `untilStarted` may change it. */
function mayWaitForStartUp(result: CheckResult, options: GradeOptions): boolean {
  return !result.passed && !options.patient && mayBeStartUp(result.failure);
}

/** A check of a group with its verdict so far. */
interface Asked {
  index: number;
  check: Check;
  context: CheckContext;
  result: CheckResult;
}

/**
 * Asks the checks whose failure a lab process starting may still change again, all at once, every
 * poll while a lab process started a moment ago, up to `startingUntil`. The lab's processes are
 * looked at only between those rounds, when none of the checks' own commands runs. `settled` hears of
 * each check once its verdict is final.
 */
async function untilStarted(
  asked: Asked[],
  options: GradeOptions,
  lab: LabStartUp,
  startingUntil: number,
  settled: (entry: Asked) => void = () => {},
): Promise<void> {
  let waiting = asked.filter((entry) => mayWaitForStartUp(entry.result, options));
  const { sandbox, sessionId } = waiting[0]?.context ?? asked[0]!.context;
  while (
    waiting.length > 0 &&
    performance.now() < startingUntil &&
    (await lab.somethingStarting(sandbox, sessionId))
  ) {
    await sleep(STARTING_POLL_MS);
    await Promise.all(
      waiting.map(async (entry) => {
        entry.result = withHint(
          entry.check,
          await attemptCheck(entry.check, checkName(entry.check), entry.context),
        );
      }),
    );
    for (const entry of waiting) if (!mayWaitForStartUp(entry.result, options)) settled(entry);
    waiting = waiting.filter((entry) => mayWaitForStartUp(entry.result, options));
  }
  for (const entry of waiting) settled(entry);
}

async function attemptCheck(check: Check, name: string, context: CheckContext): Promise<CheckResult> {
  try {
    return await runOnce(check, name, context);
  } catch (error) {
    if (error instanceof Error && NOT_A_VERDICT.has(error.name)) throw error;
    return {
      name,
      passed: false,
      message: `${name}: the check could not run (${describeError(error)}).`,
      command: '',
      evidence: describeError(error),
    };
  }
}

/**
 * Whether something in the lab is still starting, looked up once per step: once a look found nothing
 * starting, nothing will be for the rest of that grading (the checks start no servers), so the other
 * failing checks of the step spend no more engine round trips on it.
 */
export class LabStartUp {
  private quiet = false;

  async somethingStarting(sandbox: GraderSandbox, sessionId: string): Promise<boolean> {
    if (this.quiet) return false;
    const starting = justStarted(await sandbox.processes(sessionId)) !== undefined;
    this.quiet = !starting;
    return starting;
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** At most this many checks of a step run at once: a step's checks share 2 cores with the lab. */
export const CONCURRENT_CHECKS = 4;

/** Whether the check may run beside the step's other checks (the `concurrent` field documents it). */
export function mayRunConcurrently(check: Check): boolean {
  if (check.concurrent !== undefined) return check.concurrent;
  const { kind, body } = kindOf(check);
  return !mayChangeLab(check) && !(kind.runsAlone?.(body) ?? false);
}

/**
 * The step's checks in the order they must run: a run of checks that may share the lab's time is one
 * group, run at once; any other check is a group of its own, between the checks around it.
 */
export function checkGroups(checks: readonly Check[]): number[][] {
  const groups: number[][] = [];
  let shared: number[] = [];
  for (const [index, check] of checks.entries()) {
    if (mayRunConcurrently(check) && shared.length < CONCURRENT_CHECKS) {
      shared.push(index);
      continue;
    }
    if (shared.length) groups.push(shared);
    shared = [];
    if (mayRunConcurrently(check)) shared.push(index);
    else groups.push([index]);
  }
  if (shared.length) groups.push(shared);
  return groups;
}

/**
 * Grades every check of a step; the step passes when all of them do. For a learner, checks that only
 * read run at once (`checkGroups`); a patient caller's run in order. Whether something in the lab is still starting is looked at only once a
 * group's checks are done, so a check's own command in the lab is never taken for a server starting;
 * a verdict that such a start may still change is reported only after that wait.
 */
export async function gradeStep(
  step: GradableStep,
  sandbox: GraderSandbox,
  sessionId: string,
  probeScripts: CheckContext['probeScripts'],
  options: GradeOptions = {},
): Promise<StepResult> {
  const started = performance.now();
  const checks: CheckResult[] = [];
  const lab = new LabStartUp();
  const done = (index: number, result: CheckResult) => {
    checks[index] = result;
    options.onProgress?.({ index, name: result.name, state: 'done', result });
  };
  // A patient caller has just started the lab's servers: the step's first check, with its retries,
  // is what waits for them (a lab's convention), so its checks run one by one, in order.
  const groups = options.patient ? step.checks.map((_, index) => [index]) : checkGroups(step.checks);
  for (const group of groups) {
    const startingUntil = performance.now() + STARTING_WINDOW_MS;
    const asked = await Promise.all(
      group.map(async (index): Promise<Asked> => {
        const check = step.checks[index]!;
        const context: CheckContext = { sandbox, sessionId, probeScripts, timeoutMs: check.timeoutMs };
        options.onProgress?.({ index, name: checkName(check), state: 'running' });
        const result = await firstVerdict(check, context, options);
        if (!mayWaitForStartUp(result, options)) done(index, result);
        return { index, check, context, result };
      }),
    );
    await untilStarted(asked, options, lab, startingUntil, (entry) => done(entry.index, entry.result));
  }
  return {
    stepId: step.id,
    passed: checks.length > 0 && checks.every((check) => check.passed),
    durationMs: Math.round(performance.now() - started),
    checks,
  };
}

/**
 * Whether running the check may change the lab: it says so (`changesLab`), or, when it does not say,
 * its kind decides (a write request, a script). Such a check runs only when the learner asks.
 */
export function mayChangeLab(check: Check): boolean {
  if (check.changesLab !== undefined) return check.changesLab;
  const { kind, body } = kindOf(check);
  return kind.mayChangeLab?.(body) ?? false;
}
