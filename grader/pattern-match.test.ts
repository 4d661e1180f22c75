import { describe, expect, it } from 'vitest';
import { matchEach, matches, PATTERN_INPUT_MAX_CHARS, PatternTimeoutError } from './pattern-match';

describe('matching lab patterns against learner text', () => {
  it('matches like RegExp.test, with flags', async () => {
    expect(
      await matchEach('python3 (.*/)?app\\.py', '', ['python3 app.py', 'python3 /x/app.py', 'bash']),
    ).toEqual([true, true, false]);
    expect(await matches('^b', 'm', 'a\nb')).toBe(true);
  });

  it('answers a catastrophic pattern within its deadline with PatternTimeoutError, and keeps working after', async () => {
    const started = Date.now();
    const evil = `${'a'.repeat(40)}!`;
    await expect(matches('^(a+)+$', '', evil, 300)).rejects.toBeInstanceOf(PatternTimeoutError);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(await matches('a+', '', 'aaa')).toBe(true);
  });

  it("a shipped lab's pattern on a 128 KiB command line is cut to the bound and decided quickly", async () => {
    const long = `python3 ${'/'.repeat(128 * 1024)}x`;
    const [matched] = await matchEach('python3 (.*/)?app\\.py', '', [long]);
    expect(matched).toBe(false);
    expect(PATTERN_INPUT_MAX_CHARS).toBeLessThan(long.length);
  });

  it('reports an invalid pattern as a SyntaxError naming it', async () => {
    await expect(matches('(', '', 'x')).rejects.toThrow(/\/\(\/ is not a valid pattern/);
  });
});
