import { describe, expect, it } from 'vitest';
import { settleAll, StartQueue } from './start-queue';

describe('StartQueue', () => {
  it('runs at most its size at once and starts the waiting ones in arrival order', async () => {
    const queue = new StartQueue(2);
    const started: number[] = [];
    const finish = new Map<number, () => void>();
    let running = 0;
    let most = 0;
    const runs = [0, 1, 2, 3, 4].map((index) =>
      queue.run(async () => {
        started.push(index);
        running += 1;
        most = Math.max(most, running);
        await new Promise<void>((resolve) => finish.set(index, resolve));
        running -= 1;
        return index;
      }),
    );
    const tick = () => new Promise((resolve) => setImmediate(resolve));
    await tick();
    expect(started).toEqual([0, 1]);
    finish.get(1)!();
    await tick();
    expect(started).toEqual([0, 1, 2]);
    for (const index of [0, 2, 3, 4]) {
      await tick();
      finish.get(index)?.();
      await tick();
      finish.get(index)?.();
    }
    expect(await Promise.all(runs)).toEqual([0, 1, 2, 3, 4]);
    expect(started).toEqual([0, 1, 2, 3, 4]);
    expect(most).toBe(2);
  });

  it('frees the lane of a start that failed', async () => {
    const queue = new StartQueue(1);
    await expect(queue.run(() => Promise.reject(new Error('engine said no')))).rejects.toThrow(
      'engine said no',
    );
    expect(await queue.run(async () => 'next')).toBe('next');
  });
});

describe('settleAll', () => {
  it('waits for every step before throwing the first failure', async () => {
    let slowDone = false;
    const slow = new Promise<void>((resolve) =>
      setTimeout(() => {
        slowDone = true;
        resolve();
      }, 20),
    );
    await expect(settleAll([Promise.reject(new Error('first')), slow])).rejects.toThrow('first');
    expect(slowDone).toBe(true);
  });
});
