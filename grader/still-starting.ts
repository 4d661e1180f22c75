import type { ProcessInfo } from '@/sandbox';
import type { Failure } from './failure';

/**
 * How long after a process in the lab starts a failure may still be that process starting: a server
 * not bound yet, a daemon that has not written its pidfile, Apache still forking its workers.
 */
export const STARTING_WINDOW_MS = 3_000;
/** How often a check is tried again while something starts: binding a port takes a few tenths. */
export const STARTING_POLL_MS = 250;

/**
 * Failures a process still starting causes. Not the others: a wrong status, body or certificate is
 * what the server says once it runs, and waiting for it would only make a wrong answer slower.
 */
const STARTUP_FAILURES: ReadonlySet<Failure> = new Set<Failure>([
  'refused',
  'process-missing',
  'process-mismatch',
  'file-missing',
  'dns',
  'exit',
  'websocket',
  'port-scope',
  'port-owner',
]);

export function mayBeStartUp(failure: Failure | undefined): boolean {
  return failure !== undefined && STARTUP_FAILURES.has(failure);
}

/** A shell is where the learner types, not a server: its own start says nothing of one starting. */
const SHELL = /^-?(?:\S*\/)?(?:ba|da)?sh$/;

/**
 * A process of the lab that started less than the window ago and is not a shell or the lab's init: the
 * learner's `python3 app.py &` of a moment ago. Read from the engine's process table, as every fact.
 * A new child of a server that has run for longer (a worker Apache's prefork or php-fpm spawns when
 * connections come) is that server at work, not one starting: it counts only when its parent is init
 * (a daemon that detached), a shell (the learner's command), or itself new.
 */
export function justStarted(processes: readonly ProcessInfo[]): ProcessInfo | undefined {
  const windowSeconds = STARTING_WINDOW_MS / 1000;
  const isShell = (process: ProcessInfo) => SHELL.test(process.command.split(' ', 1)[0] ?? '');
  const isNew = (process: ProcessInfo) => process.startedSecondsAgo < windowSeconds;
  const byPid = new Map(processes.map((process) => [process.pid, process]));
  return processes.find((process) => {
    if (process.pid === 1 || !isNew(process) || isShell(process)) return false;
    const parent = byPid.get(process.ppid);
    return parent === undefined || parent.pid === 1 || isShell(parent) || isNew(parent);
  });
}
