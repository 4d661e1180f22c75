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
  const name = checkName(check);
  const context: CheckContext = { sandbox, sessionId, probeScripts, timeoutMs: check.timeoutMs };
  const startingUntil = performance.now() + STARTING_WINDOW_MS;
  for (let attempt = 0; ; attempt += 1) {
    const result = await attemptCheck(check, name, context);
    if (result.passed) return withHint(check, result);
    const notReady = result.failure !== undefined && NOT_READY_FAILURES.has(result.failure);
    if (attempt < check.retries && (options.patient || notReady)) {
      await sleep(check.delayMs);
      continue;
    }
    if (
      !options.patient &&
      mayBeStartUp(result.failure) &&
      performance.now() < startingUntil &&
      (await lab.somethingStarting(sandbox, sessionId))
    ) {
      await sleep(STARTING_POLL_MS);
      continue;
    }
    return withHint(check, result);
  }
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

/** Grades every check of a step; the step passes when all of them do. */
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
  for (const [index, check] of step.checks.entries()) {
    const name = checkName(check);
    options.onProgress?.({ index, name, state: 'running' });
    const result = await runCheck(check, sandbox, sessionId, probeScripts, options, lab);
    options.onProgress?.({ index, name, state: 'done', result });
    checks.push(result);
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
