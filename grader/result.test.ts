import { describe, expect, it } from 'vitest';
import { clipBytes, clipStepResult } from './result';

describe('clipping what is stored of a grading', () => {
  it('keeps text within the byte budget and says how much was cut', () => {
    expect(clipBytes('abc', 3)).toBe('abc');
    expect(clipBytes('abcdef', 3)).toBe('abc\n… (3 more bytes cut)');
  });

  it('drops a character the cut goes through rather than leaving half of it', () => {
    expect(clipBytes('aé', 2)).toBe('a\n… (1 more bytes cut)');
  });

  it('clips every text of every check of a step', () => {
    const long = 'x'.repeat(10);
    const clipped = clipStepResult(
      {
        stepId: 's',
        passed: false,
        durationMs: 1,
        checks: [{ name: 'n', passed: false, message: long, command: long, evidence: long }],
      },
      4,
    );
    expect(clipped.checks[0]).toMatchObject({ name: 'n', evidence: 'xxxx\n… (6 more bytes cut)' });
  });
});
