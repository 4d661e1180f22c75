import { z } from 'zod';
import type { ProcessInfo } from '@/sandbox';
import { matchEach } from '../pattern-match';
import { type CheckResult } from '../result';
import type { CheckContext } from '../sandbox-port';
import { defineCheckKind } from './kind';

export const ProcessCheckSchema = z
  .object({
    /** A regular expression the process's command line must match. */
    command: z.string().min(1),
    uid: z.number().int().optional(),
    /** A daemon has no controlling terminal. */
    noTerminal: z.boolean().optional(),
    /** A regular expression the parent's command line must match: a daemon's parent is the sandbox's init. */
    parent: z.string().min(1).optional(),
  })
  .strict();
export type ProcessCheck = z.infer<typeof ProcessCheckSchema>;

/** A process in the lab, as the engine lists it: a learner's `ps` or alias cannot change this. */
export async function runProcessCheck(
  check: ProcessCheck,
  name: string,
  context: CheckContext,
): Promise<CheckResult> {
  const processes = await context.sandbox.processes(context.sessionId);
  // Command lines are the learner's to make as long as they like: matched off the main thread.
  const commandMatches = await matchEach(
    check.command,
    '',
    processes.map((process) => process.command),
  );
  const candidates = processes.filter((_, index) => commandMatches[index]);
  const parentMatches =
    check.parent === undefined
      ? undefined
      : await matchEach(
          check.parent,
          '',
          processes.map((process) => process.command),
        );
  const parentOf = (process: ProcessInfo) => processes.findIndex((other) => other.pid === process.ppid);
  const hasParent = (process: ProcessInfo) =>
    parentMatches === undefined || parentMatches[parentOf(process)] === true;
  const ownedRight = (process: ProcessInfo) => check.uid === undefined || process.uid === check.uid;
  const detachedRight = (process: ProcessInfo) => !check.noTerminal || process.tty === '?';
  const match = candidates.find(
    (process) => ownedRight(process) && detachedRight(process) && hasParent(process),
  );
  const evidence = processes
    .map(
      (p) =>
        `${String(p.pid).padStart(6)} ${String(p.ppid).padStart(6)} ${String(p.uid).padStart(5)} ${p.tty.padEnd(6)} ${p.command}`,
    )
    .join('\n');
  let message = `a process matching /${check.command}/ is running as expected.`;
  if (!match) {
    if (candidates.length === 0) message = `no process matching /${check.command}/ is running.`;
    else if (check.noTerminal && candidates.every((p) => p.tty !== '?'))
      message = `the process is still attached to a terminal (${candidates[0]!.tty}); a daemon has none.`;
    else if (!candidates.some(ownedRight))
      message = `the process runs as uid ${candidates[0]!.uid}, not ${check.uid}.`;
    else {
      const parent = processes[parentOf(candidates[0]!)];
      message = `its parent is ${parent ? `"${parent.command}"` : 'outside the sandbox'}, not a process matching /${check.parent}/.`;
    }
  }
  return {
    name,
    passed: match !== undefined,
    message,
    command: 'ps -eo pid,ppid,uid,tty,args',
    evidence: `   PID   PPID   UID TTY    COMMAND\n${evidence}`,
    failure: match ? undefined : candidates.length === 0 ? 'process-missing' : 'process-mismatch',
  };
}

export const processKind = defineCheckKind({
  key: 'process',
  summary: 'a process in the lab whose command line, user, terminal and parent match',
  schema: ProcessCheckSchema,
  defaultName: (check) => `process /${check.command}/`,
  run: runProcessCheck,
});
