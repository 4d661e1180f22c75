import { describe, expect, it } from 'vitest';
import { fixtureFile } from '../parsers/fixture-files';
import type { ExecInGrader, GraderSandbox } from '../sandbox-port';
import { parallelCutOffSeconds, runHttpCheck, HttpCheckSchema } from './http';

/** A probe that prints a captured curl write-out (tests/fixtures/curl-writeout) and keeps the argv it got. */
function replaying(file: string): { sandbox: GraderSandbox; argv: () => string[] } {
  let seen: string[] = [];
  const stderr = fixtureFile('curl-writeout', file);
  const sandbox: GraderSandbox = {
    exec: async (_sessionId: string, options: ExecInGrader) => {
      seen = options.argv;
      return { exitCode: 28, stdout: '', stderr, timedOut: false, truncated: false, durationMs: 600 };
    },
    readFile: async () => Buffer.alloc(0),
    processes: async () => [],
  };
  return { sandbox, argv: () => seen };
}

const eightAtOnce = HttpCheckSchema.parse({
  url: 'http://127.0.0.1:8080/slow',
  parallel: 8,
  expect: { status: 200, withinMs: 600 },
});

function grade(file: string) {
  const probe = replaying(file);
  const result = runHttpCheck(eightAtOnce, '8 at once', {
    sandbox: probe.sandbox,
    sessionId: 's_test',
    probeScripts: {},
    timeoutMs: 20_000,
  });
  return { result, argv: probe.argv };
}

describe('the parallel check stops curl once withinMs has passed', () => {
  it('cuts off at withinMs to the tenth of a second, never past the check’s own limit', () => {
    expect(parallelCutOffSeconds(600, 20_000)).toBe('0.6');
    expect(parallelCutOffSeconds(650, 20_000)).toBe('0.7');
    expect(parallelCutOffSeconds(4000, 20_000)).toBe('4');
    expect(parallelCutOffSeconds(60_000, 20_000)).toBe('19');
    expect(parallelCutOffSeconds(undefined, 20_000)).toBe('19');
  });

  it('passes curl --max-time 0.6 for withinMs 600', async () => {
    const { result, argv } = grade('parallel-cheroot-eight.txt');
    await result;
    const args = argv();
    expect(args[args.indexOf('--max-time') + 1]).toBe('0.6');
  });

  it('fails wsgiref as slow when curl cut off the requests still waiting (exit 28)', async () => {
    const checked = await grade('parallel-wsgiref-cut-off.txt').result;
    expect(checked.passed).toBe(false);
    expect(checked.failure).toBe('slow');
    expect(checked.message).toBe(
      '8 at once: 6 of 8 requests sent at once had not finished after 0.6 s, the time allowed (are they answered one at a time?).',
    );
    expect(checked.evidence).toContain('request 1: HTTP/1 200 in 0.241 s');
  });

  it('passes cheroot, whose eight answers all came within the time', async () => {
    const checked = await grade('parallel-cheroot-eight.txt').result;
    expect(checked.passed, checked.message).toBe(true);
    expect(checked.message).toBe('8 at once: 8 requests at once all answered within 0.21 s.');
  });
});
