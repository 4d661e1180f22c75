'use client';

import { useState } from 'react';

export interface StepView {
  id: string;
  title: string;
  passed: boolean;
  attempts: number;
}

interface CheckView {
  name: string;
  passed: boolean;
  message: string;
  command: string;
  evidence: string;
}

/** The lab's steps as a checklist: Check grades one now and shows why it failed and how to see it. */
export function StepList({ sessionId, steps }: { sessionId: string; steps: StepView[] }) {
  const [state, setState] = useState<
    Record<string, { running: boolean; passed: boolean; checks: CheckView[] }>
  >(() =>
    Object.fromEntries(steps.map((step) => [step.id, { running: false, passed: step.passed, checks: [] }])),
  );

  const check = async (stepId: string) => {
    setState((previous) => ({ ...previous, [stepId]: { ...previous[stepId]!, running: true } }));
    const response = await fetch(`/api/sessions/${sessionId}/steps/${stepId}/check`, { method: 'POST' });
    const body = (await response.json()) as {
      passed?: boolean;
      checks?: CheckView[];
      error?: { message: string };
    };
    const checks = body.checks ?? [
      {
        name: 'check',
        passed: false,
        message: body.error?.message ?? `HTTP ${response.status}`,
        command: '',
        evidence: '',
      },
    ];
    setState((previous) => ({
      ...previous,
      [stepId]: {
        running: false,
        passed: (previous[stepId]?.passed ?? false) || body.passed === true,
        checks,
      },
    }));
  };

  if (steps.length === 0) return null;
  return (
    <ol className="step-list" aria-label="Steps">
      {steps.map((step) => {
        const current = state[step.id]!;
        return (
          <li key={step.id} data-testid={`step-${step.id}`} data-passed={current.passed}>
            <div className="step-head">
              <span
                className={current.passed ? 'step-mark ok' : 'step-mark'}
                aria-label={current.passed ? 'passed' : 'not passed yet'}
              >
                {current.passed ? '✓' : '○'}
              </span>
              <span className="step-title">{step.title}</span>
              <button onClick={() => void check(step.id)} disabled={current.running}>
                {current.running ? 'Checking…' : 'Check'}
              </button>
            </div>
            {current.checks.some((c) => !c.passed) && (
              <ul className="check-failures">
                {current.checks
                  .filter((c) => !c.passed)
                  .map((c) => (
                    <li key={c.name}>
                      <p>{c.message}</p>
                      {c.command && (
                        <p>
                          Try: <code>{c.command}</code>
                        </p>
                      )}
                      {c.evidence && <pre>{c.evidence}</pre>}
                    </li>
                  ))}
              </ul>
            )}
          </li>
        );
      })}
    </ol>
  );
}
