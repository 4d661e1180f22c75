import { z } from 'zod';
import { clip, type CheckResult } from '../result';
import type { CheckContext } from '../sandbox-port';
import { defineCheckKind } from './kind';

export const CommandCheckSchema = z
  .object({
    /** A shell script; exit code 0 passes. */
    run: z.string().min(1),
    /** `probe` (the default) cannot be influenced by the learner; `lab` sees the learner's files. */
    in: z.enum(['probe', 'lab']).default('probe'),
    asRoot: z.boolean().default(false),
    /** What the learner is told when it fails. */
    failMessage: z.string().optional(),
  })
  .strict();
export type CommandCheck = z.infer<typeof CommandCheckSchema>;

/** A script run in the probe (or, when it must see the learner's files, in the lab); exit 0 passes. */
export async function runCommandCheck(
  check: CommandCheck,
  name: string,
  context: CheckContext,
): Promise<CheckResult> {
  const result = await context.sandbox.exec(context.sessionId, {
    argv: ['sh', '-c', check.run],
    in: check.in,
    asRoot: check.asRoot,
    timeoutMs: context.timeoutMs,
  });
  const passed = result.exitCode === 0;
  const evidence = clip(
    [result.stdout, result.stderr].filter(Boolean).join('\n') || `(no output; exit code ${result.exitCode})`,
  );
  return {
    name,
    passed,
    message: passed
      ? `${name}: yes.`
      : result.timedOut
        ? `${name}: the check timed out after ${Math.round(context.timeoutMs / 1000)} s.`
        : (check.failMessage ?? `${name}: not yet (the check exited with code ${result.exitCode}).`),
    command: check.run,
    evidence,
    failure: passed ? undefined : result.timedOut ? 'timeout' : 'exit',
  };
}

export const commandKind = defineCheckKind({
  key: 'command',
  summary: 'a shell script in the probe (or the lab) whose exit code 0 passes',
  schema: CommandCheckSchema,
  defaultName: () => 'command check',
  run: runCommandCheck,
  // A script can do anything to the lab's servers and files: only a check that says
  // `changesLab: false` is re-checked in the background.
  mayChangeLab: () => true,
});
