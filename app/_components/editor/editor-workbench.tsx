'use client';

import { useEffect, useState } from 'react';
import { FileEditor } from './file-editor';

type State =
  { kind: 'starting' } | { kind: 'ready'; sessionId: string } | { kind: 'failed'; message: string };

/**
 * The editor alone beside nothing else: starts (or resumes) the learner's sandbox for the lab, as the
 * lab page does, and opens one file of it. A page to try the editor on; the lab panel embeds FileEditor.
 */
export function EditorWorkbench({ labId, initialPath }: { labId: string; initialPath: string }) {
  const [state, setState] = useState<State>({ kind: 'starting' });
  const [path, setPath] = useState(initialPath);

  useEffect(() => {
    let cancelled = false;
    void (async () => {
      const response = await fetch(`/api/labs/${encodeURIComponent(labId)}/sessions`, { method: 'POST' });
      const body = (await response.json().catch(() => ({}))) as { id?: string; error?: { message: string } };
      if (cancelled) return;
      if (response.ok && body.id) setState({ kind: 'ready', sessionId: body.id });
      else setState({ kind: 'failed', message: body.error?.message ?? `HTTP ${response.status}` });
    })();
    return () => {
      cancelled = true;
    };
  }, [labId]);

  if (state.kind === 'starting') return <p data-testid="lab-state">Starting your sandbox…</p>;
  if (state.kind === 'failed') {
    return (
      <p data-testid="lab-state" className="fail">
        Could not start the lab: {state.message}
      </p>
    );
  }
  return (
    <div className="editor-workbench" style={{ height: '75vh' }}>
      <FileEditor sessionId={state.sessionId} path={path} onPathChange={setPath} />
    </div>
  );
}
