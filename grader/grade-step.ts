import type { Check, LabStep } from '@/course';
import { describeError } from '@/sandbox';
import { runCommandCheck } from './checks/command';
import { runFileCheck } from './checks/file';
import { runHttpCheck } from './checks/http';
import { runDnsCheck } from './checks/dns';
import { runSequenceCheck } from './checks/sequence';
import { runWebSocketCheck } from './checks/websocket';
import { runPortCheck } from './checks/port';
import { runProcessCheck } from './checks/process';
import { runTlsCheck } from './checks/tls';
import { runTlsGradeCheck } from './checks/tls-grade';
import type { CheckResult, StepResult } from './result';
import type { CheckContext, GraderSandbox } from './sandbox-port';

export function checkName(check: Check): string {
  if (check.name) return check.name;
  if ('http' in check) return `${check.http.method} ${check.http.url}`;
  if ('sequence' in check) return `${check.sequence.requests.length} requests in a row`;
  if ('websocket' in check) return `WebSocket ${check.websocket.url}`;
  if ('dns' in check) return `${check.dns.type} records of ${check.dns.name}`;
  if ('tls' in check) return `TLS on port ${check.tls.port}`;
  if ('tls-grade' in check) return `TLS grade of port ${check['tls-grade'].port}`;
  if ('command' in check) return 'command check';
  if ('file' in check) return `file ${check.file.path}`;
  if ('port' in check) return `something listens on port ${check.port.port}`;
  return `process /${check.process.command}/`;
}

function runOnce(check: Check, name: string, context: CheckContext): Promise<CheckResult> {
  if ('http' in check) return runHttpCheck(check.http, name, context);
  if ('sequence' in check) return runSequenceCheck(check.sequence, name, context);
  if ('websocket' in check) return runWebSocketCheck(check.websocket, name, context);
  if ('dns' in check) return runDnsCheck(check.dns, name, context);
  if ('tls' in check) return runTlsCheck(check.tls, name, context);
  if ('tls-grade' in check) return runTlsGradeCheck(check['tls-grade'], name, context);
  if ('command' in check) return runCommandCheck(check.command, name, context);
  if ('file' in check) return runFileCheck(check.file, name, context);
  if ('port' in check) return runPortCheck(check.port, name, context);
  return runProcessCheck(check.process, name, context);
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
  step: LabStep,
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
