import { describe, expect, it } from 'vitest';
import { TooManyRequestsError } from '../errors';
import { defaultPlatformLimits, type PlatformLimits } from '../limits';
import { RateWindow, StartAdmission } from './admission';

const LIMITS: PlatformLimits = {
  ...defaultPlatformLimits(8 * 1024 ** 3),
  liveSessions: 5,
  concurrentStarts: 2,
  queuedStarts: 1,
  startsPerAddressPerMinute: 3,
  checksPerSessionPerMinute: 10,
  evidenceMaxBytes: 1024,
};

describe('RateWindow', () => {
  it('allows N events a minute per key and says when the next one fits', () => {
    let now = 0;
    const window = new RateWindow(2, () => now);
    expect(window.take('a')).toBeUndefined();
    now = 10_000;
    expect(window.take('a')).toBeUndefined();
    expect(window.take('a')).toBe(50);
    expect(window.take('b')).toBeUndefined();
    now = 60_000;
    expect(window.take('a')).toBeUndefined();
  });
});

describe('StartAdmission', () => {
  it('refuses a start over the live-session limit with 429 naming it', async () => {
    const admission = new StartAdmission(LIMITS);
    const refusal = await admission.admit(5, undefined).catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(TooManyRequestsError);
    expect(refusal).toMatchObject({ limit: 'liveSessions', retryAfterSeconds: 60 });
  });

  it('limits starts per client address per minute, not per CLI', async () => {
    const admission = new StartAdmission(LIMITS);
    for (let i = 0; i < 3; i += 1) (await admission.admit(0, '10.0.0.1'))();
    await expect(admission.admit(0, '10.0.0.1')).rejects.toMatchObject({
      limit: 'startsPerAddressPerMinute',
    });
    (await admission.admit(0, '10.0.0.2'))();
    (await admission.admit(0, undefined))();
  });

  it('lets N starts run at once, queues the next in order, and refuses past the queue', async () => {
    const admission = new StartAdmission(LIMITS);
    const first = await admission.admit(0, undefined);
    await admission.admit(0, undefined);
    let queuedRan = false;
    const queued = admission.admit(0, undefined).then((release) => {
      queuedRan = true;
      return release;
    });
    await expect(admission.admit(0, undefined)).rejects.toMatchObject({ limit: 'queuedStarts' });
    expect(queuedRan).toBe(false);
    first();
    (await queued)();
    expect(queuedRan).toBe(true);
  });

  it('sizes the live-session limit from the host memory and each session’s memory limit', () => {
    const gib = 1024 ** 3;
    expect(defaultPlatformLimits(24 * gib).liveSessions).toBe(29); // (24 - 2) GiB / (512 + 256) MiB
    expect(defaultPlatformLimits(1 * gib).liveSessions).toBe(1);
  });

  it('a session made but still in its turn (its probe starting) counts once against the live limit, not twice', async () => {
    const admission = new StartAdmission({ ...LIMITS, liveSessions: 2 });
    const turn = await admission.admit(0, undefined);
    turn.sessionMade(); // now one live session, its turn not ended yet
    const second = await admission.admit(1, undefined);
    second();
    await expect(admission.admit(2, undefined)).rejects.toMatchObject({ limit: 'liveSessions' });
    turn();
  });
});
