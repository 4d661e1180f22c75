import { describeError } from '@/sandbox';
import { kindOf, type Check } from './check-registry';
import { NOT_READY_FAILURES } from './failure';
import type { CheckResult, StepResult } from './result';
import type { CheckContext, GraderSandbox } from './sandbox-port';

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
 * tried again; any other is the answer at once.
 */
export async function runCheck(
  check: Check,
  sandbox: GraderSandbox,
  sessionId: string,
  probeScripts: CheckContext['probeScripts'],
  options: GradeOptions = {},
): Promise<CheckResult> {
  const name = checkName(check);
  const context: CheckContext = { sandbox, sessionId, probeScripts, timeoutMs: check.timeoutMs };
  let result: CheckResult | undefined;
  for (let attempt = 0; attempt <= check.retries; attempt += 1) {
    if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, check.delayMs));
    try {
      result = await runOnce(check, name, context);
    } catch (error) {
      if (error instanceof Error && NOT_A_VERDICT.has(error.name)) throw error;
      result = {
        name,
        passed: false,
        message: `${name}: the check could not run (${describeError(error)}).`,
        command: '',
        evidence: describeError(error),
      };
    }
    if (result.passed) break;
    if (!options.patient && result.failure && !NOT_READY_FAILURES.has(result.failure)) break;
  }
  return withHint(check, result!);
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
  for (const [index, check] of step.checks.entries()) {
    const name = checkName(check);
    options.onProgress?.({ index, name, state: 'running' });
    const result = await runCheck(check, sandbox, sessionId, probeScripts, options);
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
