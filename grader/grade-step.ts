import { describeError } from '@/sandbox';
import { kindOf, type Check } from './check-registry';
import type { CheckResult, StepResult } from './result';
import type { CheckContext, GraderSandbox } from './sandbox-port';

/** What the grader needs of a lab step: its id and its checks. */
export interface GradableStep {
  id: string;
  checks: readonly Check[];
}

export function checkName(check: Check): string {
  if (check.name) return check.name;
  const { kind, body } = kindOf(check);
  return kind.defaultName(body);
}

function runOnce(check: Check, name: string, context: CheckContext): Promise<CheckResult> {
  const { kind, body } = kindOf(check);
  return kind.run(body, name, context);
}

/** Runs one check with its retries: a server that is still starting gets `retries` more chances. */
export async function runCheck(
  check: Check,
  sandbox: GraderSandbox,
  sessionId: string,
  probeScripts: CheckContext['probeScripts'],
): Promise<CheckResult> {
  const name = checkName(check);
  const context: CheckContext = { sandbox, sessionId, probeScripts, timeoutMs: check.timeoutMs };
  let result: CheckResult | undefined;
  for (let attempt = 0; attempt <= check.retries; attempt += 1) {
    if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, check.delayMs));
    try {
      result = await runOnce(check, name, context);
    } catch (error) {
      result = {
        name,
        passed: false,
        message: `${name}: the check could not run (${describeError(error)}).`,
        command: '',
        evidence: describeError(error),
      };
    }
    if (result.passed) break;
  }
  return result!;
}

/** Grades every check of a step; the step passes when all of them do. */
export async function gradeStep(
  step: GradableStep,
  sandbox: GraderSandbox,
  sessionId: string,
  probeScripts: CheckContext['probeScripts'],
): Promise<StepResult> {
  const started = performance.now();
  const checks: CheckResult[] = [];
  for (const check of step.checks) checks.push(await runCheck(check, sandbox, sessionId, probeScripts));
  return {
    stepId: step.id,
    passed: checks.length > 0 && checks.every((check) => check.passed),
    durationMs: Math.round(performance.now() - started),
    checks,
  };
}
