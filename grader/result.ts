import type { CheckResult, StepResult } from '@/contract';

export { CheckResultSchema, StepResultSchema, type CheckResult, type StepResult } from '@/contract';

/** Evidence is for reading: keep it to the lines that matter. */
export function clip(text: string, maxChars = 2000): string {
  const trimmed = text.trim();
  return trimmed.length > maxChars
    ? `${trimmed.slice(0, maxChars)}\n… (${trimmed.length - maxChars} more characters)`
    : trimmed;
}

/** Text of at most `maxBytes` of UTF-8; a cut inside a character drops that character. */
export function clipBytes(text: string, maxBytes: number): string {
  const bytes = Buffer.from(text, 'utf8');
  if (bytes.length <= maxBytes) return text;
  const cut = bytes
    .subarray(0, maxBytes)
    .toString('utf8')
    .replace(/\uFFFD$/, '');
  return `${cut}\n… (${bytes.length - maxBytes} more bytes cut)`;
}

/** A check result whose every text is at most `maxBytes` (a live grading sends each as it ends). */
export function clipCheckResult(check: CheckResult, maxBytes: number): CheckResult {
  return {
    ...check,
    message: clipBytes(check.message, maxBytes),
    command: clipBytes(check.command, maxBytes),
    evidence: clipBytes(check.evidence, maxBytes),
  };
}

/** A step result whose every text is at most `maxBytes`: what may be stored or sent for one grading. */
export function clipStepResult(result: StepResult, maxBytes: number): StepResult {
  return { ...result, checks: result.checks.map((check) => clipCheckResult(check, maxBytes)) };
}
