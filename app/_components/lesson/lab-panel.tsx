'use client';

import dynamic from 'next/dynamic';
import { useEffect, useRef, useState } from 'react';
import { Announcer } from '../a11y/announcer';
import { useScrollableFocus } from '../a11y/use-scrollable-focus';
import { useLab, type LabApi, type StepState } from './lab-context';
import { stepAnnouncements } from './step-announcements';

// xterm.js and CodeMirror touch the DOM when they load, and are most of the page's script: both
// load in the browser only, when the lab runs, so reading a lesson costs neither.
const LabTerminal = dynamic(() => import('../terminal/lab-terminal').then((module) => module.LabTerminal), {
  ssr: false,
  loading: () => <div className="terminal-placeholder">Opening the terminal…</div>,
});
const FileEditor = dynamic(() => import('../editor/file-editor').then((module) => module.FileEditor), {
  ssr: false,
  loading: () => <p className="muted">Loading the editor…</p>,
});

// Shown only beside a running sandbox, or after a TLS check: loaded then, not with the lesson.
const LabPorts = dynamic(() => import('./lab-ports').then((module) => module.LabPorts), { ssr: false });
const TlsGradeCard = dynamic(() => import('./tls-grade-card').then((module) => module.TlsGradeCard), {
  ssr: false,
});

function minutesLeft(iso: string): number {
  return Math.max(0, Math.round((Date.parse(iso) - Date.now()) / 60_000));
}

/** Re-renders every `ms` while mounted: for clocks (time left, seconds spent starting). */
function useTick(ms: number): void {
  const [, setTick] = useState(0);
  useEffect(() => {
    const timer = setInterval(() => setTick((tick) => tick + 1), ms);
    return () => clearInterval(timer);
  }, [ms]);
}

function LabBar({ lab }: { lab: LabApi }) {
  useTick(1000);
  const { state } = lab;
  return (
    <div className="lab-bar">
      {state.kind === 'idle' && (
        <>
          <span data-testid="lab-state">Your sandbox is not running.</span>
          <button className="primary" onClick={() => void lab.start()}>
            Start lab
          </button>
        </>
      )}
      {state.kind === 'starting' && (
        <span data-testid="lab-state" role="status" className="lab-starting">
          <span className="spinner" aria-hidden="true" />
          Starting your sandbox… {Math.round((Date.now() - state.since) / 1000)} s
        </span>
      )}
      {state.kind === 'failed' && (
        <>
          <span data-testid="lab-state" className="fail" role="alert">
            Could not start the lab: {state.message}
          </span>
          <button onClick={() => void lab.start()}>Try again</button>
        </>
      )}
      {state.kind === 'stopped' && (
        <>
          <span data-testid="lab-state" role="status">
            {state.message ?? 'The lab is stopped. Your passed steps are kept.'}
          </span>
          <button className="primary" onClick={() => void lab.start()}>
            Start again
          </button>
        </>
      )}
      {state.kind === 'ready' && (
        <>
          <span data-testid="lab-state">
            Sandbox ready · ends in {minutesLeft(state.session.idleExpiresAt)} min if idle, at most{' '}
            {minutesLeft(state.session.expiresAt)} min
          </span>
          <span className="lab-actions">
            <button
              onClick={() => {
                if (confirm('Reset the lab? Your files in the sandbox are lost; your passed steps are kept.'))
                  void lab.reset();
              }}
            >
              Reset
            </button>
            <button onClick={() => void lab.stop()}>Stop</button>
          </span>
        </>
      )}
    </div>
  );
}

/** The class of a step's row: passed, just passed (its animation), or the one to do now. */
function stepClass(step: StepState, current: boolean): string | undefined {
  const classes = [
    step.passed ? 'passed' : '',
    step.justPassed ? 'just-passed' : '',
    current ? 'current' : '',
  ].filter(Boolean);
  return classes.length ? classes.join(' ') : undefined;
}

export function StepChecklist({ lab }: { lab: LabApi }) {
  if (lab.steps.length === 0) return null;
  const current = lab.steps.find((step) => !step.passed)?.id;
  return (
    <ol className="step-list" aria-label="Steps">
      {lab.steps.map((step) => (
        <li
          key={step.id}
          data-testid={`step-${step.id}`}
          data-passed={step.passed}
          className={stepClass(step, step.id === current)}
          aria-current={step.id === current ? 'step' : undefined}
        >
          <div className="step-head">
            <StepMark step={step} />
            <span className="step-title">{step.title}</span>
            <CheckButton lab={lab} step={step} />
          </div>
          <CheckProgress step={step} />
          {step.hint && (
            <details className="hint">
              <summary>Hint</summary>
              <p>{step.hint}</p>
            </details>
          )}
          <CheckFailures step={step} />
        </li>
      ))}
    </ol>
  );
}

/**
 * A step's Check. While it runs the button stays focusable (aria-disabled, not disabled): a disabled
 * button drops the keyboard focus to the top of the page, and the learner would lose their place.
 */
export function CheckButton({ lab, step }: { lab: LabApi; step: StepState }) {
  const ready = lab.state.kind === 'ready';
  return (
    <button
      onClick={() => {
        if (!step.running) void lab.check(step.id);
      }}
      disabled={!ready}
      aria-disabled={step.running || undefined}
      title={ready ? undefined : 'Start the lab to check this step'}
    >
      {step.running ? 'Checking…' : 'Check'}
    </button>
  );
}

export function StepMark({ step }: { step: StepState }) {
  return (
    <span
      className={step.passed ? 'step-mark ok' : 'step-mark'}
      aria-label={step.passed ? 'passed' : 'not passed yet'}
    >
      {step.passed ? '✓' : '○'}
    </span>
  );
}

/** The Check under way: the checks running now, and each one already decided. */
export function CheckProgress({ step }: { step: StepState }) {
  const progress = step.progress;
  if (!progress) return null;
  return (
    <ol className="check-progress" data-testid={`progress-${step.id}`}>
      {progress.done.map((check, index) => (
        <li key={index} className={check.passed ? 'ok' : 'fail'}>
          <span aria-hidden="true">{check.passed ? '✓' : '✗'}</span> {check.name}
        </li>
      ))}
      {progress.running.map((check) => (
        <li key={`running-${check.index}`} className="running">
          <span className="spinner" aria-hidden="true" /> {check.name} ({check.index + 1} of {progress.of})
        </li>
      ))}
    </ol>
  );
}

export function CheckFailures({ step }: { step: StepState }) {
  const failed = step.checks.filter((check) => !check.passed);
  if (failed.length === 0) return null;
  return (
    // Not a live region: the lab panel's announcer says each result once (this list shows twice).
    <ul className="check-failures">
      {failed.map((check) => (
        <li key={check.name}>
          <p>{check.message}</p>
          {check.hint && (
            <p className="check-hint">
              <strong>Hint:</strong> {check.hint}
            </p>
          )}
          {check.command && (
            <p>
              Try: <code>{check.command}</code>
            </p>
          )}
          {check.evidence && <Evidence text={check.evidence} />}
        </li>
      ))}
    </ul>
  );
}

/** A check's evidence: the real output, in a box that scrolls (and so takes focus) when it is long. */
function Evidence({ text }: { text: string }) {
  const pre = useRef<HTMLPreElement>(null);
  // New evidence in the same box may make it scroll without resizing it: look again when it changes.
  useScrollableFocus(pre, text);
  return <pre ref={pre}>{text}</pre>;
}

/**
 * The news of each step's grading for assistive technology ("Step 2 passed: …"), from transitions of
 * the steps' state: a Check pressed here or in the text, or a grading the learner did not start.
 */
function useStepAnnouncement(steps: StepState[]): { id: number; text: string } | null {
  const previous = useRef(steps);
  const [message, setMessage] = useState<{ id: number; text: string } | null>(null);
  useEffect(() => {
    const said = stepAnnouncements(previous.current, steps);
    previous.current = steps;
    if (said.length > 0) setMessage((last) => ({ id: (last?.id ?? 0) + 1, text: said.join(' ') }));
  }, [steps]);
  return message;
}

const NO_STEPS: StepState[] = [];

/** The lab beside the lesson: its state, its steps, and the terminal and editor in tabs. */
export function LabPanel() {
  const lab = useLab();
  const announcement = useStepAnnouncement(lab?.steps ?? NO_STEPS);
  if (!lab) return null;
  const sessionId = lab.state.kind === 'ready' ? lab.state.session.id : undefined;
  const passed = lab.steps.filter((step) => step.passed).length;
  return (
    <section className="lab-panel" id="lab" tabIndex={-1} aria-label={`Lab: ${lab.title}`}>
      <header className="lab-panel-head">
        <h2>Lab</h2>
        <span className="muted">
          {passed} of {lab.steps.length} steps passed
        </span>
      </header>
      <LabBar lab={lab} />
      <Announcer message={announcement} testId="lab-announcer" />
      <StepChecklist lab={lab} />
      {sessionId && <LabPorts sessionId={sessionId} />}
      {lab.lastGrade && (
        <TlsGradeCard
          report={lab.lastGrade.report}
          stepTitle={lab.steps.find((step) => step.id === lab.lastGrade?.stepId)?.title}
        />
      )}
      <div className="lab-tabs" role="tablist" aria-label="Lab tools">
        {(['terminal', 'editor'] as const).map((view) => (
          <button
            key={view}
            role="tab"
            id={`tab-${view}`}
            aria-selected={lab.view === view}
            aria-controls={`pane-${view}`}
            className={lab.view === view ? 'tab active' : 'tab'}
            tabIndex={lab.view === view ? 0 : -1}
            onClick={() => lab.setView(view)}
            onKeyDown={(event) => {
              // The WAI-ARIA tabs pattern: arrows move between tabs, Tab moves into the panel.
              if (event.key !== 'ArrowLeft' && event.key !== 'ArrowRight') return;
              const other = view === 'terminal' ? 'editor' : 'terminal';
              lab.setView(other);
              document.getElementById(`tab-${other}`)?.focus();
            }}
          >
            {view === 'terminal' ? 'Terminal' : 'Editor'}
          </button>
        ))}
      </div>
      <div className="lab-tool">
        {/* The terminal stays mounted while the editor shows, so its connection and screen survive. */}
        <div
          id="pane-terminal"
          role="tabpanel"
          aria-labelledby="tab-terminal"
          hidden={lab.view !== 'terminal'}
          className="lab-pane"
        >
          {sessionId ? (
            <LabTerminal sessionId={sessionId} input={lab.terminal} onEnded={lab.lost} />
          ) : (
            <div className="terminal-placeholder">The terminal opens when the lab is running.</div>
          )}
        </div>
        <div
          id="pane-editor"
          role="tabpanel"
          aria-labelledby="tab-editor"
          hidden={lab.view !== 'editor'}
          className="lab-pane"
        >
          {sessionId ? (
            <FileEditor
              sessionId={sessionId}
              path={lab.editorPath}
              onPathChange={lab.setEditorPath}
              focusRequest={lab.editorFocusRequest}
            />
          ) : (
            <div className="terminal-placeholder">The editor opens when the lab is running.</div>
          )}
        </div>
      </div>
    </section>
  );
}
