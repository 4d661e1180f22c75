import type { z } from 'zod';

/**
 * Thrown when a tool's output is not the JSON a grader asked it for. It means the check could not be
 * decided (a wrong command, a truncated stream), never that the learner's work failed.
 */
export class ToolOutputError extends Error {
  override name = 'ToolOutputError';

  constructor(
    message: string,
    /** The start of what the tool printed, quoted, for the log. */
    readonly excerpt: string,
  ) {
    super(message);
  }
}

const EXCERPT_CHARS = 120;

/** The start of the text as a JSON string literal, so control characters and blank output stay visible. */
export function excerptOf(text: string): string {
  const head = JSON.stringify(text.slice(0, EXCERPT_CHARS));
  return text.length > EXCERPT_CHARS ? `${head}…` : head;
}

export type JsonReading = { ok: true; value: unknown } | { ok: false; problem: string };

/** Reads text that should be exactly one JSON object; when it is not, says in words what it is instead. */
export function readJsonObject(text: string): JsonReading {
  const trimmed = text.trim();
  if (trimmed === '') return { ok: false, problem: 'it is empty' };
  let value: unknown;
  try {
    value = JSON.parse(trimmed);
  } catch (error) {
    const brace = trimmed.indexOf('{');
    if (brace > 0 && trimmed.endsWith('}')) {
      return {
        ok: false,
        problem: 'other text comes before the JSON object (a response body on the same stream?)',
      };
    }
    if (/}\s*{/.test(trimmed)) return { ok: false, problem: 'it holds more than one JSON object' };
    return {
      ok: false,
      problem: `it is not JSON (${error instanceof Error ? error.message : String(error)})`,
    };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    const kind =
      value === null ? 'null' : Array.isArray(value) ? 'an array' : `the ${typeof value} ${String(value)}`;
    return { ok: false, problem: `it is JSON but ${kind}, not an object` };
  }
  return { ok: true, value };
}

/** zod's issues in one line, the path first, so a log shows which fact was missing or odd. */
export function describeIssues(error: z.ZodError, max = 4): string {
  const shown = error.issues
    .slice(0, max)
    .map((issue) => `${issue.path.map(String).join('.') || '(top level)'}: ${issue.message}`);
  const rest = error.issues.length - shown.length;
  return rest > 0 ? `${shown.join('; ')}; and ${rest} more` : shown.join('; ');
}
