import { Worker } from 'node:worker_threads';

/**
 * Lab authors' regular expressions run against text the learner controls (process command lines,
 * response bodies, file contents). A backtracking pattern on a long enough input can take seconds or
 * years, and on the server's main thread that would stall every learner. So matching runs here: the
 * input is cut to a bound first, the pattern runs on a worker thread, and a match that passes its
 * deadline ends that worker (a new one starts for the next) and fails the check with a clear reason.
 */

/** What of each input is matched: a command line or a body longer than this is cut first. */
export const PATTERN_INPUT_MAX_CHARS = 64 * 1024;
export const PATTERN_DEADLINE_MS = 1000;

/** Thrown when a pattern took longer than its deadline on the learner's text. */
export class PatternTimeoutError extends Error {
  override name = 'PatternTimeoutError';
}

const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
parentPort.postMessage({ ready: true });
parentPort.on('message', ({ id, source, flags, inputs }) => {
  try {
    const pattern = new RegExp(source, flags);
    parentPort.postMessage({ id, results: inputs.map((input) => pattern.test(input)) });
  } catch (error) {
    parentPort.postMessage({ id, error: String(error && error.message) });
  }
});
`;

interface Job {
  source: string;
  flags: string;
  inputs: string[];
  deadlineMs: number;
  resolve: (results: boolean[]) => void;
  reject: (error: Error) => void;
}

let worker: { thread: Worker; ready: Promise<void> } | undefined;
let nextId = 0;
const queue: Job[] = [];
let busy = false;

/** The matcher thread, started on first use; `ready` once it runs (a cold start is not the pattern's time). */
function currentWorker(): { thread: Worker; ready: Promise<void> } {
  if (!worker) {
    const thread = new Worker(WORKER_SOURCE, { eval: true });
    thread.unref(); // an idle matcher never keeps a CLI run alive
    const ready = new Promise<void>((resolve, reject) => {
      thread.once('message', () => resolve());
      thread.once('error', reject);
    });
    ready.catch(() => {});
    worker = { thread, ready };
  }
  return worker;
}

function runNext(): void {
  if (busy) return;
  const job = queue.shift();
  if (!job) return;
  busy = true;
  const current = currentWorker();
  current.ready.then(
    () => runJob(job, current.thread),
    (error: unknown) => {
      worker = undefined;
      busy = false;
      job.reject(error instanceof Error ? error : new Error(String(error)));
      runNext();
    },
  );
}

function runJob(job: Job, active: Worker): void {
  const id = (nextId += 1);
  const finish = (settle: () => void) => {
    clearTimeout(timer);
    active.off('message', onMessage);
    active.off('error', onError);
    busy = false;
    settle();
    runNext();
  };
  const onMessage = (message: { id: number; results?: boolean[]; error?: string }) => {
    if (message.id !== id) return;
    finish(() =>
      message.error !== undefined
        ? job.reject(new SyntaxError(`/${job.source}/ is not a valid pattern: ${message.error}`))
        : job.resolve(message.results ?? []),
    );
  };
  const onError = (error: Error) => {
    worker = undefined;
    finish(() => job.reject(error));
  };
  const timer = setTimeout(() => {
    worker = undefined;
    void active.terminate();
    finish(() =>
      job.reject(
        new PatternTimeoutError(
          `the pattern /${job.source}/ took longer than ${job.deadlineMs} ms on the lab's text`,
        ),
      ),
    );
  }, job.deadlineMs);
  active.on('message', onMessage);
  active.on('error', onError);
  active.postMessage({ id, source: job.source, flags: job.flags, inputs: job.inputs });
}

/** Cuts learner-controlled text to the bound the matcher works on. */
export function boundedInput(text: string): string {
  return text.length > PATTERN_INPUT_MAX_CHARS ? text.slice(0, PATTERN_INPUT_MAX_CHARS) : text;
}

/**
 * Whether the pattern matches each input (each cut to PATTERN_INPUT_MAX_CHARS), decided off the main
 * thread within the deadline; rejects with PatternTimeoutError past it.
 */
export function matchEach(
  source: string,
  flags: string,
  inputs: string[],
  deadlineMs = PATTERN_DEADLINE_MS,
): Promise<boolean[]> {
  if (inputs.length === 0) return Promise.resolve([]);
  return new Promise((resolve, reject) => {
    queue.push({ source, flags, inputs: inputs.map(boundedInput), deadlineMs, resolve, reject });
    runNext();
  });
}

export async function matches(
  source: string,
  flags: string,
  input: string,
  deadlineMs?: number,
): Promise<boolean> {
  return (await matchEach(source, flags, [input], deadlineMs))[0] ?? false;
}
