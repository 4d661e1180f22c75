import { z } from 'zod';
import { FileNotFoundError, FilePermissionError, NotARegularFileError } from '@/sandbox';
import { matches } from '../pattern-match';
import { clip, type CheckResult } from '../result';
import type { CheckContext } from '../sandbox-port';
import { defineCheckKind } from './kind';

export const FileCheckSchema = z
  .object({
    path: z.string().startsWith('/'),
    contains: z.string().optional(),
    matches: z.string().optional(),
  })
  .strict();
export type FileCheck = z.infer<typeof FileCheckSchema>;

/**
 * A file in the lab, read with the learner's own permissions (a link in its place is refused, and a
 * linked folder reaches nothing the learner could not read themselves).
 */
export async function runFileCheck(
  check: FileCheck,
  name: string,
  context: CheckContext,
): Promise<CheckResult> {
  const command = `cat ${check.path}`;
  let content: string;
  try {
    content = (await context.sandbox.readFile(context.sessionId, check.path)).toString('utf8');
  } catch (error) {
    if (
      error instanceof FileNotFoundError ||
      error instanceof NotARegularFileError ||
      error instanceof FilePermissionError
    ) {
      const why =
        error instanceof FileNotFoundError
          ? 'does not exist yet'
          : error instanceof FilePermissionError
            ? 'cannot be read by the learner'
            : 'is not a regular file';
      return {
        name,
        passed: false,
        message: `${check.path} ${why}.`,
        command,
        evidence: error.message,
        failure: 'file-missing',
      };
    }
    throw error;
  }
  const failures: string[] = [];
  if (check.contains !== undefined && !content.includes(check.contains))
    failures.push(`it does not contain "${check.contains}"`);
  if (check.matches !== undefined && !(await matches(check.matches, 'm', content)))
    failures.push(`no line matches /${check.matches}/`);
  return {
    name,
    passed: failures.length === 0,
    message:
      failures.length === 0 ? `${check.path} is as expected.` : `${check.path}: ${failures.join(', and ')}.`,
    command,
    evidence: clip(content),
    failure: failures.length === 0 ? undefined : 'file-content',
  };
}

export const fileKind = defineCheckKind({
  key: 'file',
  summary: 'a file in the lab, read as the learner, containing or matching a text',
  schema: FileCheckSchema,
  defaultName: (check) => `file ${check.path}`,
  run: runFileCheck,
});
