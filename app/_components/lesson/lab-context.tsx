'use client';

import {
  createContext,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useRef,
  useState,
  type ReactNode,
} from 'react';
import { TerminalBus } from '../terminal/terminal-bus';
import {
  LabRecordSchema,
  SessionObjectSchema,
  StepEventSchema,
  StepResultSchema,
  type CheckResult,
  type StepEvent,
  type SessionObject,
  type StepView,
  type TlsGradeReport,
} from '@/contract';
import { readAnswer } from '../api-answer';
import { gradeOf } from './tls-grade-report';

export interface StepState extends StepView {
  running: boolean;
  /** The checks of the last Check on this page, if any. */
  checks: CheckResult[];
  /** The grading the learner asked for, as it goes: the check running now and those already done. */
  /** The Check under way: checks that only read run at once, so several may be running. */
  progress: { of: number; running: { index: number; name: string }[]; done: CheckResult[] } | null;
  /** Turned green a moment ago (by a Check or by itself): the page plays its animation once. */
  justPassed: boolean;
}

/** How long a step that just passed keeps its animation class. */
const JUST_PASSED_MS = 2_000;

export type LabState =
  | { kind: 'idle' }
  | { kind: 'starting'; since: number }
  | { kind: 'ready'; session: SessionObject }
  | { kind: 'failed'; message: string }
  | { kind: 'stopped'; message?: string };

export type LabView = 'terminal' | 'editor';

export interface LabApi {
  labId: string;
  title: string;
  state: LabState;
  steps: StepState[];
  /** The TLS grade of the last check that measured one, and the step it belonged to. */
  lastGrade: { stepId: string; report: TlsGradeReport } | null;
  view: LabView;
  editorPath: string | null;
  /** Grows each time a file is opened from the text: the editor takes the focus for it once loaded. */
  editorFocusRequest: number;
  terminal: TerminalBus;
  start(): Promise<void>;
  stop(): Promise<void>;
  reset(): Promise<void>;
  /** The session ended outside the learner's hands (its sandbox stopped, the engine restarted). */
  lost(): void;
  check(stepId: string): Promise<void>;
  /**
   * Types the command into the lab's terminal (starting the lab first when it is not running);
   * `focus: false` leaves the keyboard focus where it is (a <Run> pressed from the keyboard).
   */
  runCommand(command: string, options?: { focus?: boolean }): void;
  /** Opens a sandbox file in the editor (starting the lab first when it is not running). */
  openFile(path: string): void;
  setView(view: LabView): void;
  setEditorPath(path: string): void;
}

const LabContext = createContext<LabApi | null>(null);

export function useLab(): LabApi | null {
  return useContext(LabContext);
}

/** A failed check that says why no verdict came back (the session ended, the server refused). */
function noVerdict(message: string): CheckResult[] {
  return [{ name: 'check', passed: false, message, command: '', evidence: '' }];
}

/**
 * A step after one of its grading's events. The learner's own Check shows its progress and its first
 * failure as soon as it is known; a live re-check only ever turns the step green (a failure the
 * learner did not ask about is not news while they are still typing).
 */
export function applyStepEvent(step: StepState, event: StepEvent): StepState {
  const asked = event.trigger === 'click';
  switch (event.type) {
    case 'check-started':
      if (!asked) return step;
      return {
        ...step,
        running: true,
        progress: {
          of: event.of,
          running: [...(step.progress?.running ?? []), { index: event.index, name: event.name }],
          done: step.progress?.done ?? [],
        },
      };
    case 'check-done': {
      if (!asked || !step.progress) return step;
      const done = [...step.progress.done, event.result];
      const running = step.progress.running.filter((check) => check.index !== event.index);
      return {
        ...step,
        progress: { ...step.progress, running, done },
        checks: done.filter((check) => !check.passed),
      };
    }
    case 'step-done':
      if (event.result.passed)
        return {
          ...step,
          running: asked ? false : step.running,
          progress: asked ? null : step.progress,
          justPassed: step.justPassed || !step.passed,
          passed: true,
          attempts: asked ? step.attempts : step.attempts + (step.passed ? 0 : 1),
          checks: event.result.checks,
        };
      return asked ? { ...step, progress: null, checks: event.result.checks } : step;
  }
}

/** The lab beside a lesson: its sandbox session, its steps and the learner's record, shared by the panel and the text. */
export function LabProvider({
  lab,
  autoStart,
  children,
}: {
  lab: { id: string; title: string; steps: StepView[]; defaultFile?: string };
  /**
   * `true`: start (or resume) the sandbox as the page opens (the learner came for the lab, and
   * `lab.steps` are already theirs). `'if-running'`: the page is the same for every learner, so ask
   * for this learner's steps (GET /api/labs/{labId}/record) and resume their sandbox if one runs.
   */
  autoStart: boolean | 'if-running';
  children: ReactNode;
}) {
  const [state, setState] = useState<LabState>({ kind: 'idle' });
  const [steps, setSteps] = useState<StepState[]>(() =>
    lab.steps.map((step) => ({ ...step, running: false, checks: [], progress: null, justPassed: false })),
  );
  const [lastGrade, setLastGrade] = useState<LabApi['lastGrade']>(null);
  const [view, setView] = useState<LabView>('terminal');
  const [editorPath, setEditorPath] = useState<string | null>(lab.defaultFile ?? null);
  const [editorFocusRequest, setEditorFocusRequest] = useState(0);
  const terminal = useMemo(() => new TerminalBus(), []);
  const starting = useRef<Promise<void> | null>(null);

  const mergeSteps = useCallback((fresh: StepView[]) => {
    setSteps((previous) =>
      fresh.map((step) => {
        const mine = previous.find((candidate) => candidate.id === step.id);
        return {
          ...step,
          passed: step.passed || (mine?.passed ?? false),
          running: mine?.running ?? false,
          checks: mine?.checks ?? [],
          progress: mine?.progress ?? null,
          justPassed: mine?.justPassed ?? false,
        };
      }),
    );
  }, []);

  const start = useCallback(() => {
    starting.current ??= (async () => {
      setState({ kind: 'starting', since: Date.now() });
      try {
        const response = await fetch(`/api/labs/${lab.id}/sessions`, { method: 'POST' });
        const answer = await readAnswer(response, SessionObjectSchema);
        if (!answer.ok) setState({ kind: 'failed', message: answer.message });
        else {
          mergeSteps(answer.value.steps);
          setState({ kind: 'ready', session: answer.value });
        }
      } catch (error) {
        setState({ kind: 'failed', message: error instanceof Error ? error.message : String(error) });
      } finally {
        starting.current = null;
      }
    })();
    return starting.current;
  }, [lab.id, mergeSteps]);

  // A learner who comes back to a running lab finds it as they left it, and their passed steps green.
  useEffect(() => {
    if (autoStart === true) {
      void start();
      return;
    }
    if (autoStart !== 'if-running') return;
    let current = true;
    void (async () => {
      const answer = await fetch(`/api/labs/${lab.id}/record`, { cache: 'no-store' })
        .then((response) => readAnswer(response, LabRecordSchema))
        .catch(() => null);
      if (!current || !answer?.ok) return;
      mergeSteps(answer.value.steps);
      if (answer.value.live) void start();
    })();
    return () => {
      current = false;
    };
  }, [autoStart, start, lab.id, mergeSteps]);

  const sessionId = state.kind === 'ready' ? state.session.id : undefined;

  // The session's step events: the progress of every grading, and steps that pass by themselves
  // while the learner works (the platform re-checks while this stream is open).
  useEffect(() => {
    if (!sessionId) return;
    const events = new EventSource(`/api/sessions/${sessionId}/events`);
    const timers: ReturnType<typeof setTimeout>[] = [];
    events.onmessage = (message: MessageEvent<string>) => {
      let event: StepEvent;
      try {
        event = StepEventSchema.parse(JSON.parse(message.data));
      } catch {
        return;
      }
      const stepId = event.type === 'step-done' ? event.result.stepId : event.stepId;
      if (event.type === 'step-done' && event.result.passed) {
        timers.push(
          setTimeout(
            () =>
              setSteps((previous) =>
                previous.map((step) => (step.id === stepId ? { ...step, justPassed: false } : step)),
              ),
            JUST_PASSED_MS,
          ),
        );
      }
      setSteps((previous) =>
        previous.map((step) => (step.id === stepId ? applyStepEvent(step, event) : step)),
      );
    };
    return () => {
      events.close();
      for (const timer of timers) clearTimeout(timer);
    };
  }, [sessionId]);

  const stop = useCallback(async () => {
    if (!sessionId) return;
    await fetch(`/api/sessions/${sessionId}`, { method: 'DELETE' });
    setState({ kind: 'stopped' });
  }, [sessionId]);

  const lost = useCallback(() => {
    setState({
      kind: 'stopped',
      message: 'Your lab session has ended: its sandbox stopped. Your passed steps are kept.',
    });
  }, []);

  const reset = useCallback(async () => {
    // The old sandbox's terminal goes away at once: nothing typed now may land in a sandbox being removed.
    setState({ kind: 'starting', since: Date.now() });
    if (sessionId) await fetch(`/api/sessions/${sessionId}`, { method: 'DELETE' });
    await start();
  }, [sessionId, start]);

  const check = useCallback(
    async (stepId: string) => {
      if (!sessionId) return;
      setSteps((previous) =>
        previous.map((step) => (step.id === stepId ? { ...step, running: true } : step)),
      );
      let passed = false;
      let checks: CheckResult[];
      try {
        const response = await fetch(`/api/sessions/${sessionId}/steps/${stepId}/check`, { method: 'POST' });
        if (response.status === 404) lost();
        const answer = await readAnswer(response, StepResultSchema);
        passed = answer.ok && answer.value.passed;
        checks = answer.ok ? answer.value.checks : noVerdict(answer.message);
      } catch (error) {
        checks = noVerdict(`The check could not run: ${String(error)}`);
      }
      const report = gradeOf(checks);
      if (report) setLastGrade({ stepId, report });
      setSteps((previous) =>
        previous.map((step) =>
          step.id === stepId
            ? {
                ...step,
                running: false,
                progress: null,
                justPassed: step.justPassed || (passed && !step.passed),
                passed: step.passed || passed,
                attempts: step.attempts + 1,
                checks,
              }
            : step,
        ),
      );
    },
    [sessionId],
  );

  const runCommand = useCallback(
    (command: string, options: { focus?: boolean } = {}) => {
      setView('terminal');
      terminal.send(`${command}\r`, options);
      if (state.kind !== 'ready' && state.kind !== 'starting') void start();
    },
    [terminal, state.kind, start],
  );

  const openFile = useCallback(
    (path: string) => {
      setEditorPath(path);
      setView('editor');
      setEditorFocusRequest((request) => request + 1);
      if (state.kind !== 'ready' && state.kind !== 'starting') void start();
    },
    [state.kind, start],
  );

  const api: LabApi = {
    labId: lab.id,
    title: lab.title,
    state,
    steps,
    lastGrade,
    view,
    editorPath,
    editorFocusRequest,
    terminal,
    start,
    stop,
    reset,
    lost,
    check,
    runCommand,
    openFile,
    setView,
    setEditorPath,
  };
  return <LabContext.Provider value={api}>{children}</LabContext.Provider>;
}
