import { describe, expect, it } from 'vitest';
import { availableCpus, workerCount } from './workers';

describe('availableCpus', () => {
  it("is the cgroup's CPU quota rounded up, never more than the cores", () => {
    expect(availableCpus('100000 100000\n')).toBe(1);
    expect(availableCpus('150000 100000\n')).toBe(Math.min(2, availableCpus('max 100000\n')));
    expect(availableCpus('1000 100000\n')).toBe(1);
  });

  it('is every core without a quota', () => {
    expect(availableCpus('max 100000\n')).toBeGreaterThanOrEqual(1);
    expect(availableCpus(undefined)).toBe(availableCpus('max 100000\n'));
  });
});

describe('workerCount', () => {
  it('is H2PROXY_WORKERS when it is a positive whole number, else one per CPU', () => {
    expect(workerCount({ H2PROXY_WORKERS: '1' }, 8)).toBe(1);
    expect(workerCount({ H2PROXY_WORKERS: '3' }, 8)).toBe(3);
    expect(workerCount({ H2PROXY_WORKERS: '0' }, 8)).toBe(8);
    expect(workerCount({ H2PROXY_WORKERS: 'many' }, 8)).toBe(8);
    expect(workerCount({}, 2)).toBe(2);
  });
});
