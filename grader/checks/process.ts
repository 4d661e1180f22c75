import type { ProcessCheck } from '@/course';
import { type CheckResult } from '../result';
import type { CheckContext } from '../sandbox-port';

/** A process in the lab, as the engine lists it: a learner's `ps` or alias cannot change this. */
export async function runProcessCheck(
  check: ProcessCheck,
  name: string,
  context: CheckContext,
): Promise<CheckResult> {
  const processes = await context.sandbox.processes(context.sessionId);
  const pattern = new RegExp(check.command);
  const candidates = processes.filter((process) => pattern.test(process.command));
  const match = candidates.find(
    (process) =>
      (check.uid === undefined || process.uid === check.uid) &&
      (check.noTerminal === undefined || !check.noTerminal || process.tty === '?'),
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
    else message = `the process runs as uid ${candidates[0]!.uid}, not ${check.uid}.`;
  }
  return {
    name,
    passed: match !== undefined,
    message,
    command: 'ps -eo pid,ppid,uid,tty,args',
    evidence: `   PID   PPID   UID TTY    COMMAND\n${evidence}`,
  };
}
