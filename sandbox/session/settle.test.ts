import { describe, expect, it } from 'vitest';
import { settleAll } from './settle';

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

  it('resolves when every step succeeded', async () => {
    await expect(settleAll([Promise.resolve(1), Promise.resolve('two')])).resolves.toBeUndefined();
  });
});
