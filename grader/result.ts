export { CheckResultSchema, StepResultSchema, type CheckResult, type StepResult } from '@/contract';

/** Evidence is for reading: keep it to the lines that matter. */
export function clip(text: string, maxChars = 2000): string {
  const trimmed = text.trim();
  return trimmed.length > maxChars
    ? `${trimmed.slice(0, maxChars)}\n… (${trimmed.length - maxChars} more characters)`
    : trimmed;
}
