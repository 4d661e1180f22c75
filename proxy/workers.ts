/**
 * One proxy process per core, sharing the listening socket (node:cluster): Node runs a server's
 * JavaScript on one thread, so one process uses one core however many the machine has. The primary
 * accepts and hands connections to the workers in turn (SCHED_RR): HTTP/2 clients open few, long
 * connections, and letting the kernel wake whichever worker (SCHED_NONE) put most of ten client
 * connections on one process (measured: about 8 of 10). A connection stays with its process.
 */
import cluster, { type Worker } from 'node:cluster';
import fs from 'node:fs';
import os from 'node:os';

/** Set to a number to choose how many processes serve (1: no cluster at all, as before). */
export const WORKERS_ENV = 'H2PROXY_WORKERS';
/** A worker that dies this soon after starting is failing to start, not crashing later: no restart. */
const STARTUP_GRACE_MS = 5_000;

/** The CPUs this process may use: the cgroup's quota (a container's --cpus), else every core. */
export function availableCpus(cpuMax = readCpuMax()): number {
  const cores = typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
  const match = /^(\d+)\s+(\d+)/.exec(cpuMax ?? '');
  if (!match) return Math.max(1, cores); // "max 100000": no quota
  const quota = Math.ceil(Number(match[1]) / Number(match[2]));
  return Math.max(1, Math.min(cores, quota));
}

function readCpuMax(): string | undefined {
  try {
    return fs.readFileSync('/sys/fs/cgroup/cpu.max', 'utf8');
  } catch {
    return undefined;
  }
}

/** How many processes serve: H2PROXY_WORKERS when set, else one per available CPU. */
export function workerCount(
  env: Record<string, string | undefined> = process.env,
  cpus = availableCpus(),
): number {
  const asked = env[WORKERS_ENV];
  if (asked !== undefined && /^\d+$/.test(asked) && Number(asked) >= 1) return Number(asked);
  return cpus;
}

/** What a worker tells the primary about its start. */
export type WorkerMessage =
  { kind: 'h2proxy-listening'; where: string } | { kind: 'h2proxy-fatal'; message: string };

export function isWorkerMessage(value: unknown): value is WorkerMessage {
  const kind = (value as { kind?: unknown } | null)?.kind;
  return kind === 'h2proxy-listening' || kind === 'h2proxy-fatal';
}

export interface PrimaryOptions {
  workers: number;
  /** Lines for the log (start, stop, a worker that died). */
  info(message: string): void;
  error(message: string): void;
  /** A worker could not start (a port in use): said once, then every process stops with exit 1. */
  fatal(message: string): void;
}

/**
 * Runs in the primary process: forks the workers (which run the proxy and report their start), says
 * once that the proxy listens, replaces a worker that dies later, and stops them all on SIGINT or
 * SIGTERM. The primary serves nothing itself.
 */
export function runPrimary(options: PrimaryOptions): void {
  cluster.schedulingPolicy = cluster.SCHED_RR;
  let stopping = false;
  let listening = 0;
  let announced = false;
  const startedAt = new Map<Worker, number>();

  const fork = (): void => {
    const worker = cluster.fork();
    startedAt.set(worker, Date.now());
    worker.on('message', (message: unknown) => {
      if (!isWorkerMessage(message)) return;
      if (message.kind === 'h2proxy-fatal') return stopAll(() => options.fatal(message.message));
      listening += 1;
      if (listening === options.workers && !announced) {
        announced = true;
        options.info(`${message.where} (${options.workers} processes)`);
      }
    });
  };

  const stopAll = (then: () => void): void => {
    if (stopping) return;
    stopping = true;
    const workers = Object.values(cluster.workers ?? {}).filter((worker): worker is Worker => !!worker);
    if (workers.length === 0) return then();
    let left = workers.length;
    for (const worker of workers) {
      worker.once('exit', () => {
        left -= 1;
        if (left === 0) then();
      });
      worker.kill('SIGTERM');
    }
  };

  cluster.on('exit', (worker, code, signal) => {
    const started = startedAt.get(worker) ?? 0;
    startedAt.delete(worker);
    if (stopping) return;
    const why = signal ? `signal ${signal}` : `exit code ${code}`;
    if (Date.now() - started < STARTUP_GRACE_MS && listening < options.workers) {
      return stopAll(() => options.fatal(`a worker process stopped while starting (${why})`));
    }
    options.error(`worker process ${worker.process.pid} stopped (${why}); starting another`);
    listening -= 1;
    fork();
  });

  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      options.info(`${signal}: stopping`);
      stopAll(() => process.exit(0));
    });
  }
  for (let index = 0; index < options.workers; index += 1) fork();
}
