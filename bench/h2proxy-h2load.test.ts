import { describe, expect, it } from 'vitest';
import { durationMs, latencyPercentiles, parseH2loadLog, parseH2loadSummary } from './h2proxy-h2load';

// Captured from h2load (nghttp2-client 1.52.0, Debian bookworm) through h2proxy in the h2bench image.
const TIMED_RUN = `starting benchmark...
spawning thread #0: 4 total client(s). Timing-based test with 0s of warm-up time and 2s of main duration for measurements.
Warm-up started for thread #0.
progress: 25% of clients started
progress: 50% of clients started
progress: 75% of clients started
progress: 100% of clients started
Warm-up phase is over for thread #0.
Main benchmark duration is started for thread #0.
TLS Protocol: TLSv1.3
Cipher: TLS_AES_256_GCM_SHA384
Server Temp Key: X25519 253 bits
Application protocol: h2
Main benchmark duration is over for thread #0. Stopping all clients.
Stopped all clients for thread #0

finished in 2.02s, 692.00 req/s, 32.81KB/s
requests: 1384 total, 1424 started, 1384 done, 1384 succeeded, 0 failed, 0 errored, 0 timeout
status codes: 1395 2xx, 0 3xx, 0 4xx, 0 5xx
traffic: 65.63KB (67201) total, 12.50KB (12799) headers (space savings 90.24%), 16.35KB (16740) data
                     min         max         mean         sd        +/- sd
time for request:    11.80ms    139.24ms     55.94ms     22.67ms    72.04%
time for connect:     6.14ms     26.19ms     17.48ms      8.56ms    50.00%
time to 1st byte:    45.48ms     77.73ms     62.17ms     17.92ms   100.00%
req/s           :     169.85      175.86      172.86        2.45    50.00%
`;

// The same h2load against a port nothing listens on: it still exits 0.
const REFUSED = `starting benchmark...
spawning thread #0: 2 total client(s). 20 total requests

finished in 1.04ms, 0.00 req/s, 0B/s
requests: 20 total, 0 started, 0 done, 0 succeeded, 20 failed, 20 errored, 0 timeout
status codes: 0 2xx, 0 3xx, 0 4xx, 0 5xx
traffic: 0B (0) total, 0B (0) headers (space savings 0.00%), 0B (0) data
                     min         max         mean         sd        +/- sd
time for request:        0us         0us         0us         0us     0.00%
time for connect:        0us         0us         0us         0us     0.00%
time to 1st byte:        0us         0us         0us         0us     0.00%
req/s           :       0.00        0.00        0.00        0.00   100.00%
`;

// The first lines of --log-file: start (µs since the epoch), status, µs until the response ended.
const LOG = `1796025910270319	200	290526
1796025910270321	200	307570
1796025910270321	200	307601
1796025910270322	200	307604
1796025910270323	200	307607
1796025910270323	200	307610
`;

describe('parseH2loadSummary', () => {
  it('reads a timed run', () => {
    expect(parseH2loadSummary(TIMED_RUN)).toEqual({
      protocol: 'h2',
      seconds: 2.02,
      requestsPerSecond: 692,
      requests: {
        total: 1384,
        started: 1424,
        done: 1384,
        succeeded: 1384,
        failed: 0,
        errored: 0,
        timeout: 0,
      },
      statusCodes: { '2xx': 1395, '3xx': 0, '4xx': 0, '5xx': 0 },
      timeForRequestMs: { min: 11.8, max: 139.24, mean: 55.94, sd: 22.67 },
    });
  });

  it('reads a run where no connection succeeded: no protocol, every request failed', () => {
    const summary = parseH2loadSummary(REFUSED);
    expect(summary.protocol).toBeUndefined();
    expect(summary.requests).toMatchObject({ total: 20, succeeded: 0, failed: 20, errored: 20 });
    expect(summary.requestsPerSecond).toBe(0);
  });

  it("says what is missing from output that is not h2load's", () => {
    expect(() => parseH2loadSummary('h2load: command not found')).toThrow(/no "finished in" line/);
  });
});

describe('durationMs', () => {
  it.each([
    ['147us', 0.147],
    ['19.70ms', 19.7],
    ['1.23s', 1230],
  ])('%s is %f ms', (text, ms) => {
    expect(durationMs(text)).toBeCloseTo(ms, 9);
  });

  it('refuses anything else', () => {
    expect(() => durationMs('3min')).toThrow(/not an h2load duration/);
  });
});

describe('parseH2loadLog', () => {
  it('gives each finished request its duration in ms', () => {
    expect(parseH2loadLog(LOG)).toEqual({
      durationsMs: [290.526, 307.57, 307.601, 307.604, 307.607, 307.61],
      unfinished: 0,
    });
  });

  it('counts requests that never finished apart', () => {
    expect(parseH2loadLog('1\t-1\t0\n2\t200\t1500\n')).toEqual({ durationsMs: [1.5], unfinished: 1 });
  });

  it('refuses a line that is not one', () => {
    expect(() => parseH2loadLog('finished in 1s')).toThrow(/not an h2load log line/);
  });
});

describe('latencyPercentiles', () => {
  it('takes nearest-rank p50 and p99', () => {
    const durations = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(latencyPercentiles(durations)).toEqual({ p50: 50, p99: 99 });
  });
});
