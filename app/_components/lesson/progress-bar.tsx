/** Steps passed out of all, as a bar a screen reader reads as a progress value. */
export function ProgressBar({ passed, total, label }: { passed: number; total: number; label: string }) {
  const percent = total === 0 ? 0 : Math.round((passed / total) * 100);
  return (
    <div className="progress" data-testid="progress">
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
        {passed} of {total} steps
      </span>
    </div>
  );
}
