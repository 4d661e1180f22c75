'use client';

import { useCallback, useEffect, useId, useRef, useState, type KeyboardEvent, type RefObject } from 'react';
import { FileEditorController, INITIAL_UI, type EditorUiState } from './editor-controller';
import { languageFor } from './languages';
import './editor.css';

export interface FileEditorProps {
  sessionId: string;
  /** The absolute path of the file in the sandbox; null opens nothing until the learner types one. */
  path: string | null;
  /** Called when the learner opens another file from the path box. */
  onPathChange?: (path: string) => void;
  /**
   * Grows when the page asks the editor to take the focus (a file opened from the lesson's text):
   * it does once the file is loaded, so a keyboard user lands in the file they asked for.
   */
  focusRequest?: number;
}

/** What is wrong with a path typed in the path box, before asking the server (which checks again). */
function pathProblem(value: string): string | undefined {
  if (!value) return 'Type the absolute path of a file, like /home/learner/app/app.py.';
  if (!value.startsWith('/')) return 'The path must be absolute: it starts with /.';
  if (value.split('/').includes('..')) return 'Give the path without ".." in it.';
  if (value.endsWith('/')) return 'That is a folder; give a file in it.';
  return undefined;
}

/**
 * A file of the learner's sandbox in CodeMirror 6, beside the terminal: it saves with Ctrl-S / Cmd-S
 * (refusing to overwrite a change made in the sandbox meanwhile unless the learner says so), and
 * notices changes made in the terminal. A path box opens another file.
 */
export function FileEditor({ sessionId, path, onPathChange, focusRequest = 0 }: FileEditorProps) {
  const [openPath, setOpenPath] = useState(path);
  const [pathFromProps, setPathFromProps] = useState(path);
  if (path !== pathFromProps) {
    // The parent chose another file: it wins over the one opened from the path box.
    setPathFromProps(path);
    setOpenPath(path);
  }
  const dirty = useRef(false);
  const focusedFor = useRef(0);
  const onDirty = useCallback((value: boolean) => {
    dirty.current = value;
  }, []);

  const open = (next: string): boolean => {
    if (next === openPath) return true;
    if (dirty.current && !window.confirm(`${openPath} has unsaved changes. Open ${next} and drop them?`)) {
      return false;
    }
    dirty.current = false;
    setOpenPath(next);
    onPathChange?.(next);
    return true;
  };

  return (
    <section className="file-editor" data-testid="file-editor" aria-label="File editor">
      <PathBox path={openPath} onOpen={open} />
      {openPath ? (
        <EditorPane
          key={`${sessionId} ${openPath}`}
          sessionId={sessionId}
          path={openPath}
          onDirty={onDirty}
          focusRequest={focusRequest}
          focusedFor={focusedFor}
        />
      ) : (
        <p className="editor-empty">Type the absolute path of a file above and press Enter to open it.</p>
      )}
    </section>
  );
}

function PathBox({ path, onOpen }: { path: string | null; onOpen: (path: string) => boolean }) {
  const [draft, setDraft] = useState(path ?? '');
  const [shownPath, setShownPath] = useState(path);
  const [problem, setProblem] = useState<string>();
  if (path !== shownPath) {
    setShownPath(path);
    setDraft(path ?? '');
    setProblem(undefined);
  }
  const id = useId();

  return (
    <form
      className="editor-path"
      onSubmit={(event) => {
        event.preventDefault();
        const value = draft.trim();
        const why = pathProblem(value);
        setProblem(why);
        if (!why && !onOpen(value)) setDraft(path ?? '');
      }}
    >
      <label htmlFor={`${id}-path`}>File</label>
      <input
        id={`${id}-path`}
        data-testid="editor-path"
        value={draft}
        onChange={(event) => setDraft(event.target.value)}
        onKeyDown={(event) => {
          if (event.key === 'Escape') {
            setDraft(path ?? '');
            setProblem(undefined);
          }
        }}
        placeholder="/home/learner/app/app.py"
        spellCheck={false}
        autoComplete="off"
        autoCapitalize="off"
        aria-invalid={problem ? true : undefined}
        aria-describedby={problem ? `${id}-problem` : undefined}
      />
      <button type="submit">Open</button>
      {problem && (
        <span id={`${id}-problem`} className="editor-path-problem" role="alert">
          {problem}
        </span>
      )}
    </form>
  );
}

function EditorPane({
  sessionId,
  path,
  onDirty,
  focusRequest,
  focusedFor,
}: {
  sessionId: string;
  path: string;
  onDirty: (dirty: boolean) => void;
  focusRequest: number;
  /** The last request honoured, kept by the parent: a pane opened later does not take it again. */
  focusedFor: RefObject<number>;
}) {
  const host = useRef<HTMLDivElement>(null);
  const controller = useRef<FileEditorController | null>(null);
  const [ui, setUi] = useState<EditorUiState>(INITIAL_UI);
  const name = path.slice(path.lastIndexOf('/') + 1);
  const language = languageFor(path);

  useEffect(() => {
    if (!host.current) return;
    const editor = new FileEditorController(host.current, { sessionId, path, onState: setUi });
    controller.current = editor;
    return () => {
      editor.destroy();
      controller.current = null;
    };
  }, [sessionId, path]);

  useEffect(() => {
    onDirty(ui.dirty);
  }, [ui.dirty, onDirty]);

  // Ctrl-S / Cmd-S anywhere in the pane (editor, banners, buttons) saves instead of saving the page.
  const onKeyDown = (event: KeyboardEvent) => {
    if ((event.ctrlKey || event.metaKey) && !event.altKey && event.key.toLowerCase() === 's') {
      event.preventDefault();
      void controller.current?.save();
    }
  };
  const editable = ui.phase === 'ready' || ui.phase === 'new';
  useEffect(() => {
    if (!editable || focusRequest <= focusedFor.current) return;
    focusedFor.current = focusRequest;
    controller.current?.focus();
  }, [editable, focusRequest, focusedFor]);
  const afterAction = (action: (editor: FileEditorController) => Promise<void> | void) => async () => {
    const editor = controller.current;
    if (!editor) return;
    await action(editor);
    editor.focus();
  };

  return (
    <div className="editor-pane" onKeyDown={onKeyDown}>
      <div className="editor-bar">
        <span className="editor-tab" title={path} data-testid="editor-tab" data-dirty={ui.dirty}>
          <span className="editor-filename">{name}</span>
          {ui.dirty && (
            <span className="editor-dirty" aria-hidden="true">
              ●
            </span>
          )}
          {ui.dirty && <span className="editor-sr-only"> (unsaved changes)</span>}
        </span>
        <span className="editor-language">{language?.name ?? 'Plain text'}</span>
        <span
          className={`editor-status tone-${ui.statusTone}`}
          role="status"
          aria-live="polite"
          data-testid="editor-status"
        >
          {ui.status}
        </span>
        <button
          type="button"
          onClick={() => void controller.current?.save()}
          disabled={!editable || ui.saving}
          aria-keyshortcuts="Control+S Meta+S"
          data-testid="editor-save"
        >
          Save
        </button>
      </div>

      {ui.conflict && (
        <div className="editor-banner editor-banner-conflict" role="alert" data-testid="editor-conflict">
          <span>This file changed in the sandbox since you opened it.</span>
          <button type="button" onClick={afterAction((editor) => editor.reload())}>
            Reload (drop my edits)
          </button>
          <button
            type="button"
            onClick={afterAction((editor) => editor.save('overwrite'))}
            data-testid="editor-overwrite"
          >
            Overwrite with mine
          </button>
        </div>
      )}

      {!ui.conflict && ui.changed !== 'none' && (
        <div className="editor-banner editor-banner-changed" role="status" data-testid="editor-changed">
          {ui.changed === 'reloaded' && (
            <>
              <span>Changed in the sandbox: reloaded (you had no unsaved edits).</span>
              <button type="button" onClick={() => controller.current?.dismissChanged()}>
                OK
              </button>
            </>
          )}
          {ui.changed === 'pending' && (
            <>
              <span>Changed in the sandbox while you have unsaved edits.</span>
              <button
                type="button"
                onClick={afterAction((editor) => editor.reload())}
                data-testid="editor-reload"
              >
                Reload (drop my edits)
              </button>
            </>
          )}
          {ui.changed === 'removed' && <span>Removed in the sandbox: saving creates it again.</span>}
        </div>
      )}

      {(ui.phase === 'error' || ui.phase === 'binary') && (
        <div className="editor-problem" role="alert" data-testid="editor-problem">
          <span>{ui.problem}</span>
          {ui.phase === 'error' && (
            <button type="button" onClick={afterAction((editor) => editor.reload())}>
              Try again
            </button>
          )}
        </div>
      )}

      {ui.configTest.phase !== 'none' && (
        <p
          className={`editor-config-test config-${ui.configTest.phase}`}
          role="status"
          aria-live="polite"
          data-testid="editor-config-test"
          data-phase={ui.configTest.phase}
        >
          {ui.configTest.text}
        </p>
      )}

      <div ref={host} className="editor-host" hidden={!editable && ui.phase !== 'loading'} />
      <p className="editor-help">
        <kbd>Ctrl</kbd>+<kbd>S</kbd> saves · <kbd>Ctrl</kbd>+<kbd>F</kbd> finds · <kbd>Tab</kbd> indents;{' '}
        <kbd>Esc</kbd> then <kbd>Tab</kbd> leaves the editor
      </p>
    </div>
  );
}
