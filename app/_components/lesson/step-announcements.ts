import type { StepState } from './lab-context';

/**
 * What to tell a screen reader when the steps change: one sentence per step whose grading just
 * ended, "Step 2 passed: …" or "Step 2: <why it failed>". It compares two snapshots of the steps
 * rather than hooking the Check button, so a step graded in the background is announced the same way.
 */
export function stepAnnouncements(previous: readonly StepState[], next: readonly StepState[]): string[] {
  const said: string[] = [];
  next.forEach((step, index) => {
    const before = previous.find((candidate) => candidate.id === step.id);
    if (!before) return;
    const newResult = step.checks !== before.checks && step.checks.length > 0;
    // Only a grading turns a step green with `justPassed`: steps the learner passed on an earlier
    // visit, filled in after the page loaded, are not news.
    const turnedGreen = step.passed && !before.passed && step.justPassed;
    if (!newResult && !turnedGreen) return;
    const failed = newResult ? step.checks.find((check) => !check.passed) : undefined;
    const label = `Step ${index + 1}`;
    if (failed) said.push(`${label}: ${failed.message}`);
    else said.push(`${label} passed: ${step.title}.`);
  });
  return said;
}
