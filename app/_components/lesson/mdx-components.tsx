'use client';

import { Children, isValidElement, useRef, useState, type ReactNode } from 'react';
import { useScrollableFocus } from '../a11y/use-scrollable-focus';
import { useLab } from './lab-context';
import { CheckButton, CheckFailures, StepMark } from './lab-panel';

/** The text of MDX children: a `<Run>` holds its command as text, possibly split into several nodes. */
function textOf(node: ReactNode): string {
  if (typeof node === 'string' || typeof node === 'number') return String(node);
  if (Array.isArray(node)) return node.map(textOf).join('');
  if (isValidElement<{ children?: ReactNode }>(node)) return textOf(node.props.children);
  return Children.toArray(node).map(textOf).join('');
}

const CALLOUT_LABEL = { note: 'Note', tip: 'Tip', warning: 'Watch out' } as const;

export function Callout({
  type = 'note',
  children,
}: {
  type?: keyof typeof CALLOUT_LABEL;
  children: ReactNode;
}) {
  return (
    <aside className={`callout callout-${type}`} role="note" aria-label={CALLOUT_LABEL[type]}>
      <strong className="callout-label">{CALLOUT_LABEL[type]}</strong>
      <div>{children}</div>
    </aside>
  );
}

/** A command the learner can send to the lab's terminal with one click (or copy). */
export function Run({ children }: { children: ReactNode }) {
  const lab = useLab();
  const command = textOf(children).trim();
  return (
    <div className="run" data-testid="run">
      <code className="run-command">{command}</code>
      <CopyButton text={command} />
      {lab && (
        <button
          className="run-button"
          // A click from the keyboard (Enter, Space) has no pointer position: detail is 0.
          onClick={(event) => lab.runCommand(command, { focus: event.detail > 0 })}
          aria-label={`Run in the terminal: ${command}`}
          title="Type it into the lab's terminal"
        >
          Run ▸
        </button>
      )}
    </div>
  );
}

/** Where a graded step of the lab is done: its live status and a Check button, in the text. */
export function Step({ id }: { id: string }) {
  const lab = useLab();
  const step = lab?.steps.find((candidate) => candidate.id === id);
  if (!lab || !step) return null;
  return (
    <div className="inline-step" data-testid={`inline-step-${id}`} data-passed={step.passed}>
      <div className="step-head">
        <StepMark step={step} />
        <span className="step-title">
          Step: {step.title} {step.passed ? '(passed)' : ''}
        </span>
        <CheckButton lab={lab} step={step} />
      </div>
      <CheckFailures step={step} />
    </div>
  );
}

export function Hint({ children }: { children: ReactNode }) {
  return (
    <details className="hint">
      <summary>Hint</summary>
      {children}
    </details>
  );
}

/** A file of the sandbox, opened in the lab's editor with one click. */
export function FileRef({ path }: { path: string }) {
  const lab = useLab();
  if (!lab) return <code>{path}</code>;
  return (
    <button className="file-ref" onClick={() => lab.openFile(path)} title="Open in the lab's editor">
      <code>{path}</code> ✎
    </button>
  );
}

function CopyButton({ text, getText }: { text?: string; getText?: () => string }) {
  const [copied, setCopied] = useState(false);
  return (
    <button
      className="copy-button"
      onClick={() => {
        void navigator.clipboard?.writeText(getText?.() ?? text ?? '').then(() => {
          setCopied(true);
          setTimeout(() => setCopied(false), 1500);
        });
      }}
      aria-label="Copy to the clipboard"
    >
      {copied ? 'Copied' : 'Copy'}
    </button>
  );
}

/** Fenced code blocks (highlighted at build time) with a copy button. */
export function CodeBlock(props: React.ComponentProps<'pre'>) {
  const pre = useRef<HTMLPreElement>(null);
  useScrollableFocus(pre);
  return (
    <div className="code-block">
      <CopyButton getText={() => pre.current?.textContent ?? ''} />
      <pre ref={pre} {...props} />
    </div>
  );
}
