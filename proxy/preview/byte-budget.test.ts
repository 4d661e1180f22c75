import { describe, expect, it } from 'vitest';
import { ByteBudget } from './byte-budget';

describe('ByteBudget', () => {
  it('lets one second of bytes through at once, then makes the spender wait in proportion', () => {
    let now = 0;
    const budget = new ByteBudget(1000, () => now);
    expect(budget.spend(1000)).toBe(0);
    expect(budget.spend(500)).toBe(500);
    now += 500; // half a second refills 500 bytes, which the debt above already took
    expect(budget.spend(250)).toBe(250);
  });

  it('never saves more than one second of bytes, however long the session was quiet', () => {
    let now = 0;
    const budget = new ByteBudget(1000, () => now);
    now += 60_000;
    expect(budget.spend(1000)).toBe(0);
    expect(budget.spend(1000)).toBe(1000);
  });
});
