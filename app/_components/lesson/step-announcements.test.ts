import { describe, expect, it } from 'vitest';
import type { CheckResult } from '@/contract';
import type { StepState } from './lab-context';
import { stepAnnouncements } from './step-announcements';

const check = (passed: boolean, message = 'fine'): CheckResult => ({
  name: 'c',
  passed,
  message,
  command: '',
  evidence: '',
});
const step = (id: string, title: string, extra: Partial<StepState> = {}): StepState => ({
  id,
  title,
  hint: null,
  passed: false,
  attempts: 0,
  running: false,
  checks: [],
  progress: null,
  justPassed: false,
  ...extra,
});

describe('stepAnnouncements', () => {
  const before = [step('a', 'First'), step('b', 'Port 8080 answers')];

  it('announces a failed check of step 2 with its first failing message', () => {
    const after = [
      before[0]!,
      { ...before[1]!, attempts: 1, checks: [check(true), check(false, 'nothing listens on port 8080')] },
    ];
    expect(stepAnnouncements(before, after)).toEqual(['Step 2: nothing listens on port 8080']);
  });

  it('announces a step that passed, by number and title', () => {
    const after = [{ ...before[0]!, passed: true, attempts: 1, checks: [check(true)] }, before[1]!];
    expect(stepAnnouncements(before, after)).toEqual(['Step 1 passed: First.']);
  });

  it('announces a step turned green by a grading the learner did not start (no checks on this page)', () => {
    const after = [before[0]!, { ...before[1]!, passed: true, justPassed: true }];
    expect(stepAnnouncements(before, after)).toEqual(['Step 2 passed: Port 8080 answers.']);
  });

  it("says nothing when the learner's record arrives after the page with steps passed on an earlier visit", () => {
    const after = [{ ...before[0]!, passed: true, attempts: 2 }, before[1]!];
    expect(stepAnnouncements(before, after)).toEqual([]);
  });

  it('announces a repeated result again: each grading is news', () => {
    const first = [before[0]!, { ...before[1]!, checks: [check(false, 'nothing listens')] }];
    const second = [before[0]!, { ...before[1]!, checks: [check(false, 'nothing listens')] }];
    expect(stepAnnouncements(first, second)).toEqual(['Step 2: nothing listens']);
  });

  it('says nothing while a check runs, or when nothing about the results changed', () => {
    const running = [{ ...before[0]!, running: true }, before[1]!];
    expect(stepAnnouncements(before, running)).toEqual([]);
    expect(
      stepAnnouncements(
        before,
        before.map((s) => ({ ...s })),
      ),
    ).toEqual([]);
  });
});
