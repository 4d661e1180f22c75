'use client';

import { usePassedSteps } from './learner-progress';

/**
 * The learner's steps passed out of all, as a bar a screen reader reads as a progress value. The
 * page is rendered once for everyone: until the learner's own number arrives the bar is busy.
 */
export function ProgressBar({
  courseId,
  lessonSlug,
  total,
  label,
}: {
  courseId: string;
  lessonSlug?: string;
  total: number;
  label: string;
}) {
  const passed = usePassedSteps(courseId, lessonSlug);
  const percent = total === 0 || passed === undefined ? 0 : Math.round((passed / total) * 100);
  return (
    <div className="progress" data-testid="progress" aria-busy={passed === undefined}>
      <div
        className="progress-track"
        role="progressbar"
        aria-label={label}
        aria-valuemin={0}
        aria-valuemax={total}
        aria-valuenow={passed}
      >
        <div className="progress-fill" style={{ width: `${percent}%` }} />
      </div>
      <span className="progress-text">
        {passed ?? '…'} of {total} steps
      </span>
    </div>
  );
}
