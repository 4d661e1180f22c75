/**
 * What h2load (nghttp2-client 1.52) prints, as numbers: its summary on stdout, and the per-request
 * lines of `--log-file`, from which the latency percentiles come (h2load prints none itself).
 */
import { percentile } from './stats';

export interface H2loadSummary {
  /** `Application protocol: h2` (absent when no connection succeeded). */
  protocol: string | undefined;
  seconds: number;
  requestsPerSecond: number;
  requests: {
    total: number;
    started: number;
    done: number;
    succeeded: number;
    failed: number;
    errored: number;
    timeout: number;
  };
  statusCodes: { '2xx': number; '3xx': number; '4xx': number; '5xx': number };
  /** The `time for request` row: min, max, mean, sd in milliseconds. */
  timeForRequestMs: { min: number; max: number; mean: number; sd: number } | undefined;
}

/** `147us`, `19.70ms`, `1.23s` in milliseconds. */
export function durationMs(text: string): number {
  const match = /^([\d.]+)(us|ms|s)$/.exec(text.trim());
  if (!match) throw new Error(`not an h2load duration: "${text}"`);
  const value = Number(match[1]);
  return match[2] === 'us' ? value / 1000 : match[2] === 'ms' ? value : value * 1000;
}

function line(text: string, pattern: RegExp, what: string): RegExpExecArray {
  const match = pattern.exec(text);
  if (!match) throw new Error(`h2load printed no ${what} line:\n${text.slice(-2000)}`);
  return match;
}

export function parseH2loadSummary(text: string): H2loadSummary {
  const finished = line(text, /^finished in ([\d.]+(?:us|ms|s)), ([\d.]+) req\/s/m, '"finished in"');
  const requests = line(
    text,
    /^requests: (\d+) total, (\d+) started, (\d+) done, (\d+) succeeded, (\d+) failed, (\d+) errored, (\d+) timeout/m,
    'requests',
  ).map(Number);
  const codes = line(text, /^status codes: (\d+) 2xx, (\d+) 3xx, (\d+) 4xx, (\d+) 5xx/m, 'status codes').map(
    Number,
  );
  const timing = /^time for request:\s+(\S+)\s+(\S+)\s+(\S+)\s+(\S+)/m.exec(text);
  return {
    protocol: /^Application protocol: (\S+)/m.exec(text)?.[1],
    seconds: durationMs(finished[1] as string) / 1000,
    requestsPerSecond: Number(finished[2]),
    requests: {
      total: requests[1] as number,
      started: requests[2] as number,
      done: requests[3] as number,
      succeeded: requests[4] as number,
      failed: requests[5] as number,
      errored: requests[6] as number,
      timeout: requests[7] as number,
    },
    statusCodes: {
      '2xx': codes[1] as number,
      '3xx': codes[2] as number,
      '4xx': codes[3] as number,
      '5xx': codes[4] as number,
    },
    timeForRequestMs: timing
      ? {
          min: durationMs(timing[1] as string),
          max: durationMs(timing[2] as string),
          mean: durationMs(timing[3] as string),
          sd: durationMs(timing[4] as string),
        }
      : undefined,
  };
}

/**
 * `--log-file` lines: start time (µs since the epoch), status code, µs until the response ended, tab
 * separated. Returns each finished request's duration in milliseconds (status -1: not finished).
 */
export function parseH2loadLog(text: string): { durationsMs: number[]; unfinished: number } {
  const durationsMs: number[] = [];
  let unfinished = 0;
  for (const row of text.split('\n')) {
    if (!row.trim()) continue;
    const [start, status, micros] = row.split('\t');
    if (start === undefined || status === undefined || micros === undefined || !/^\d+$/.test(micros)) {
      throw new Error(`not an h2load log line: "${row}"`);
    }
    if (Number(status) < 0) unfinished += 1;
    else durationsMs.push(Number(micros) / 1000);
  }
  return { durationsMs, unfinished };
}

export function latencyPercentiles(durationsMs: number[]): { p50: number; p99: number } {
  return { p50: percentile(durationsMs, 50), p99: percentile(durationsMs, 99) };
}
