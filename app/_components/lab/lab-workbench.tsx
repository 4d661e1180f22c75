'use client';

import { useCallback, useEffect, useState } from 'react';
import { LabTerminal } from '../terminal/lab-terminal';
import { StepList, type StepView } from './step-list';

interface SessionObject {
  id: string;
  status: string;
  steps: StepView[];
  expiresAt: string;
  idleExpiresAt: string;
}

type State =
  | { kind: 'starting' }
  | { kind: 'ready'; session: SessionObject }
  | { kind: 'failed'; message: string }
  | { kind: 'stopped' };

function minutesLeft(iso: string): number {
  return Math.max(0, Math.round((Date.parse(iso) - Date.now()) / 60_000));
}

/** Starts (or resumes) the learner's sandbox for a lab and shows its terminal. */
export function LabWorkbench({ labId }: { labId: string }) {
  const [state, setState] = useState<State>({ kind: 'starting' });

  const start = useCallback(async () => {
    setState({ kind: 'starting' });
    const response = await fetch(`/api/labs/${labId}/sessions`, { method: 'POST' });
    const body = (await response.json()) as SessionObject & { error?: { message: string } };
    if (!response.ok) setState({ kind: 'failed', message: body.error?.message ?? `HTTP ${response.status}` });
    else setState({ kind: 'ready', session: body });
  }, [labId]);

  useEffect(() => {
    void start();
  }, [start]);

  const stop = async () => {
    if (state.kind !== 'ready') return;
    await fetch(`/api/sessions/${state.session.id}`, { method: 'DELETE' });
    setState({ kind: 'stopped' });
  };

  return (
    <section className="workbench" aria-label="Lab">
      <div className="workbench-bar">
        {state.kind === 'starting' && <span data-testid="lab-state">Starting your sandbox…</span>}
        {state.kind === 'failed' && (
          <span data-testid="lab-state" className="fail">
            Could not start the lab: {state.message}
          </span>
        )}
        {state.kind === 'stopped' && (
          <>
            <span data-testid="lab-state">The lab is stopped.</span>
            <button onClick={() => void start()}>Start again</button>
          </>
        )}
        {state.kind === 'ready' && (
          <>
            <span data-testid="lab-state">
              Sandbox ready · ends in {minutesLeft(state.session.idleExpiresAt)} min if idle, at most{' '}
              {minutesLeft(state.session.expiresAt)} min
            </span>
            <button onClick={() => void stop()}>Stop lab</button>
          </>
        )}
      </div>
      {state.kind === 'ready' && <StepList sessionId={state.session.id} steps={state.session.steps} />}
      <div className="workbench-terminal">
        {state.kind === 'ready' && <LabTerminal sessionId={state.session.id} />}
      </div>
    </section>
  );
}
