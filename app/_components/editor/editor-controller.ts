import { defaultKeymap, history, historyKeymap, indentWithTab } from '@codemirror/commands';
import { bracketMatching, indentOnInput, indentUnit } from '@codemirror/language';
import { lintGutter, setDiagnostics, type Diagnostic } from '@codemirror/lint';
import { highlightSelectionMatches, search, searchKeymap } from '@codemirror/search';
import { Compartment, EditorState, Text, type Extension } from '@codemirror/state';
import {
  crosshairCursor,
  drawSelection,
  dropCursor,
  EditorView,
  highlightActiveLine,
  highlightActiveLineGutter,
  highlightSpecialChars,
  keymap,
  lineNumbers,
  rectangularSelection,
} from '@codemirror/view';
import { editorTheme } from './editor-theme';
import type { ConfigTestAnswer } from '@/contract';
import { loadFile, saveFile, testConfig, type LoadResult } from './files-client';
import { languageFor, type EditorLanguage } from './languages';

/** How often an open, visible editor asks whether the file changed in the sandbox. */
export const POLL_INTERVAL_MS = 3_000;

export type ChangedInSandbox =
  /** Nothing to tell. */
  | 'none'
  /** It changed while the editor had no edits, so the editor took the new content. */
  | 'reloaded'
  /** It changed while the editor has edits: the learner decides (Reload, or save and resolve the conflict). */
  | 'pending'
  /** It was removed; saving creates it again. */
  | 'removed';

/** The configuration test run after a save (Apache files only): its verdict in one line. */
export interface ConfigTestUi {
  phase: 'none' | 'running' | 'ok' | 'error' | 'unavailable';
  /** "apachectl -t: Syntax OK", or the error with the place it names. */
  text: string;
}

export interface EditorUiState {
  phase: 'loading' | 'ready' | 'new' | 'binary' | 'error';
  /** Why the file cannot be edited, in phases `binary` and `error`. */
  problem: string;
  /** The buffer differs from the file as last loaded or saved. */
  dirty: boolean;
  saving: boolean;
  /** One line for the live region: "Saved", "Not saved: …". */
  status: string;
  statusTone: 'info' | 'ok' | 'error';
  /** A save was refused because the file changed in the sandbox since it was opened. */
  conflict: boolean;
  changed: ChangedInSandbox;
  configTest: ConfigTestUi;
}

export const INITIAL_UI: EditorUiState = {
  phase: 'loading',
  problem: '',
  dirty: false,
  saving: false,
  status: 'Loading…',
  statusTone: 'info',
  conflict: false,
  changed: 'none',
  configTest: { phase: 'none', text: '' },
};

const BASICS: Extension = [
  lineNumbers(),
  highlightActiveLineGutter(),
  highlightSpecialChars(),
  history(),
  drawSelection(),
  dropCursor(),
  EditorState.allowMultipleSelections.of(true),
  indentOnInput(),
  bracketMatching(),
  rectangularSelection(),
  crosshairCursor(),
  highlightActiveLine(),
  highlightSelectionMatches(),
  search({ top: true }),
  // Tab indents, as learners expect in code; Escape then Tab (or Ctrl-M) still moves focus onward.
  keymap.of([...defaultKeymap, ...historyKeymap, ...searchKeymap, indentWithTab]),
  // A contenteditable is a tab stop already; saying so lets audits (axe's scrollable-region-focusable)
  // see that the scrolling editor is reachable from the keyboard.
  EditorView.contentAttributes.of({ tabindex: '0' }),
  editorTheme,
];

/** Only when every line break is CRLF: CodeMirror then writes CRLF back, and the file keeps its endings. */
function lineBreakOf(text: string): string | undefined {
  return text.includes('\r\n') && !/(^|[^\r])\n/.test(text) ? '\r\n' : undefined;
}

/**
 * One open file: the CodeMirror view, and the file's life in the sandbox around it. It loads the file
 * and remembers its ETag, saves with If-Match (a 412 becomes a conflict the learner resolves), polls
 * with If-None-Match while the page and the editor are visible, and takes a change from the sandbox by
 * itself only when the buffer has no edits. React renders from `onState`; nothing here knows React.
 */
export class FileEditorController {
  readonly view: EditorView;
  readonly language: EditorLanguage | null;
  private ui: EditorUiState = INITIAL_UI;
  /** The tag of the file the buffer was loaded from or saved to; null when there is no file yet. */
  private etag: string | null = null;
  /** The buffer as the sandbox has it, to tell edits from an undo back to it. */
  private saved: Text = Text.empty;
  /** Moves on every load and save, so a poll that was in flight meanwhile is ignored. */
  private generation = 0;
  /** Moves on every configuration test, so only the latest one's verdict is shown. */
  private configTests = 0;
  private busy = false;
  private polling = false;
  private destroyed = false;
  private readonly requests = new AbortController();
  private readonly timer: ReturnType<typeof setInterval>;
  private readonly dark = new Compartment();
  /** The page's theme (data-theme on <html>, set from the learner's choice or the system's). */
  private readonly scheme: MutationObserver;
  private readonly shown: IntersectionObserver;

  constructor(
    private readonly host: HTMLElement,
    private readonly options: { sessionId: string; path: string; onState: (state: EditorUiState) => void },
  ) {
    this.language = languageFor(options.path);
    this.scheme = new MutationObserver(this.onSchemeChange);
    this.view = new EditorView({ parent: host, state: this.makeState('', false) });
    this.scheme.observe(document.documentElement, { attributes: true, attributeFilter: ['data-theme'] });
    document.addEventListener('visibilitychange', this.onVisibilityChange);
    window.addEventListener('beforeunload', this.onBeforeUnload);
    // A lab panel hides the editor's tab rather than unmounting it: look again when it is shown.
    this.shown = new IntersectionObserver((entries) => {
      if (entries.some((entry) => entry.isIntersecting)) void this.poll();
    });
    this.shown.observe(host);
    this.timer = setInterval(() => void this.poll(), POLL_INTERVAL_MS);
    void this.load('open');
  }

  destroy(): void {
    this.destroyed = true;
    clearInterval(this.timer);
    this.requests.abort();
    this.shown.disconnect();
    this.scheme.disconnect();
    document.removeEventListener('visibilitychange', this.onVisibilityChange);
    window.removeEventListener('beforeunload', this.onBeforeUnload);
    this.view.destroy();
  }

  get state(): EditorUiState {
    return this.ui;
  }

  /** Loads the file again, dropping the buffer's edits (the learner asked for it). */
  reload(): Promise<void> {
    return this.load('reload');
  }

  /** Saves; `overwrite` replaces whatever the sandbox has now (the learner chose it after a conflict). */
  async save(mode: 'save' | 'overwrite' = 'save'): Promise<void> {
    if (this.busy || this.destroyed || (this.ui.phase !== 'ready' && this.ui.phase !== 'new')) return;
    this.busy = true;
    this.generation += 1;
    const doc = this.view.state.doc;
    this.update({ saving: true, status: 'Saving…', statusTone: 'info' });
    const result = await saveFile(
      this.options.sessionId,
      this.options.path,
      this.view.state.sliceDoc(), // with the file's own line breaks
      mode === 'overwrite' ? { overwrite: true } : this.etag ? { ifMatch: this.etag } : { create: true },
    );
    if (this.destroyed) return;
    this.busy = false;
    this.generation += 1;
    if (result.kind === 'saved') {
      this.etag = result.etag;
      this.saved = doc;
      this.update({
        phase: 'ready',
        saving: false,
        dirty: !this.view.state.doc.eq(doc), // typing during the save is still unsaved
        status: 'Saved',
        statusTone: 'ok',
        conflict: false,
        changed: 'none',
      });
      if (this.language?.configTest) void this.testConfig();
    } else if (result.kind === 'conflict') {
      this.update({
        saving: false,
        conflict: true,
        changed: 'none',
        status: 'Not saved: the file changed in the sandbox',
        statusTone: 'error',
      });
    } else {
      this.update({ saving: false, status: `Not saved: ${result.message}`, statusTone: 'error' });
    }
  }

  /**
   * Runs `apachectl -t` in the sandbox and shows its verdict: an error in this file as a diagnostic
   * on its line, an error elsewhere (an Include) by file:line in the status area; a pass clears both.
   */
  private async testConfig(): Promise<void> {
    const run = ++this.configTests;
    this.update({ configTest: { phase: 'running', text: 'apachectl -t: testing the configuration…' } });
    let result;
    try {
      result = await testConfig(this.options.sessionId, this.options.path, { signal: this.requests.signal });
    } catch {
      return; // aborted: this editor is gone
    }
    if (this.destroyed || run !== this.configTests) return;
    if (result.kind === 'error') {
      this.showDiagnostics([]);
      this.update({
        configTest: { phase: 'unavailable', text: `apachectl -t did not run: ${result.message}` },
      });
      return;
    }
    this.showConfigTest(result.answer);
  }

  private showConfigTest(answer: ConfigTestAnswer): void {
    const problem = answer.problem;
    if (answer.ok || !problem) {
      this.showDiagnostics([]);
      this.update({ configTest: { phase: 'ok', text: `${answer.tool}: Syntax OK` } });
      return;
    }
    const doc = this.view.state.doc;
    if (problem.inSavedFile && problem.line !== null) {
      const line = doc.line(Math.min(problem.line, doc.lines));
      this.showDiagnostics([
        { from: line.from, to: line.to, severity: 'error', source: answer.tool, message: problem.message },
      ]);
      this.update({
        configTest: { phase: 'error', text: `${answer.tool}: line ${problem.line}: ${problem.message}` },
      });
      return;
    }
    this.showDiagnostics([]);
    const place = problem.file ? `${problem.file}${problem.line !== null ? `:${problem.line}` : ''}: ` : '';
    this.update({ configTest: { phase: 'error', text: `${answer.tool}: ${place}${problem.message}` } });
  }

  private showDiagnostics(diagnostics: Diagnostic[]): void {
    this.view.dispatch(setDiagnostics(this.view.state, diagnostics));
  }

  dismissChanged(): void {
    this.update({ changed: 'none' });
  }

  focus(): void {
    this.view.focus();
  }

  private async load(how: 'open' | 'reload'): Promise<void> {
    if (this.destroyed) return;
    this.busy = true;
    this.generation += 1;
    this.update({ status: how === 'open' ? 'Loading…' : 'Reloading…', statusTone: 'info' });
    let result: LoadResult;
    try {
      result = await loadFile(this.options.sessionId, this.options.path, { signal: this.requests.signal });
    } catch {
      return; // aborted: this editor is gone
    }
    if (this.destroyed) return;
    this.busy = false;
    this.generation += 1;
    this.take(result, how);
  }

  /** Shows what a load answered; `sandbox` is a change noticed by a poll and taken by itself. */
  private take(result: LoadResult, how: 'open' | 'reload' | 'sandbox'): void {
    const keepPlace = how !== 'open';
    switch (result.kind) {
      case 'text':
        this.replaceBuffer(result.text, result.etag, keepPlace);
        this.update({
          phase: 'ready',
          problem: '',
          dirty: false,
          conflict: false,
          changed: how === 'sandbox' ? 'reloaded' : 'none',
          status:
            how === 'sandbox'
              ? 'Reloaded: the file changed in the sandbox'
              : how === 'reload'
                ? 'Reloaded from the sandbox'
                : 'Opened',
          statusTone: 'info',
        });
        return;
      case 'absent':
        this.replaceBuffer('', null, keepPlace);
        this.update({
          phase: 'new',
          problem: '',
          dirty: false,
          conflict: false,
          changed: 'none',
          status: 'New file: saving creates it',
          statusTone: 'info',
        });
        return;
      case 'binary':
        this.update({
          phase: 'binary',
          problem: `${this.options.path} is not a UTF-8 text file; the editor opens text files only.`,
          status: 'Not opened',
          statusTone: 'error',
        });
        return;
      case 'error':
        this.update({ phase: 'error', problem: result.message, status: 'Not opened', statusTone: 'error' });
        return;
      case 'unchanged':
        return;
    }
  }

  private async poll(): Promise<void> {
    if (this.destroyed || this.busy || this.polling) return;
    if (this.ui.phase !== 'ready' && this.ui.phase !== 'new') return;
    // Not while nobody can see it: a background tab, or the editor's tab of a lab panel hidden.
    if (document.visibilityState !== 'visible' || this.host.getClientRects().length === 0) return;
    const generation = this.generation;
    const etag = this.etag;
    this.polling = true;
    let result: LoadResult;
    try {
      result = await loadFile(this.options.sessionId, this.options.path, {
        etag,
        signal: this.requests.signal,
      });
    } catch {
      return; // aborted
    } finally {
      this.polling = false;
    }
    if (this.destroyed || this.busy || generation !== this.generation) return;
    switch (result.kind) {
      case 'unchanged':
        return;
      case 'text':
        if (result.etag === etag) return;
        if (!this.ui.dirty) return this.take(result, 'sandbox');
        this.update({ changed: 'pending', status: 'The file changed in the sandbox', statusTone: 'info' });
        return;
      case 'absent':
        if (etag === null) return;
        // Nothing in the sandbox matches the buffer now: it is all unsaved, and saving creates the file.
        this.etag = null;
        this.saved = Text.empty;
        this.update({
          changed: 'removed',
          dirty: !this.view.state.doc.eq(Text.empty),
          status: 'The file was removed in the sandbox',
          statusTone: 'info',
        });
        return;
      case 'binary':
        this.update({ changed: 'pending', status: 'The file changed in the sandbox', statusTone: 'info' });
        return;
      case 'error':
        // The session ended (or was never this learner's): say so; polls stop while the phase is error.
        if (result.status === 404) {
          this.update({
            phase: 'error',
            problem: result.message,
            status: 'Not available',
            statusTone: 'error',
          });
        }
        return; // anything else is passing (a restart, the network): the next poll asks again
    }
  }

  private makeState(text: string, editable: boolean): EditorState {
    const lineBreak = lineBreakOf(text);
    return EditorState.create({
      doc: text,
      extensions: [
        BASICS,
        this.language ? [this.language.extension(), indentUnit.of(this.language.indent)] : [],
        this.language?.configTest ? lintGutter() : [],
        lineBreak ? EditorState.lineSeparator.of(lineBreak) : [],
        this.dark.of(EditorView.darkTheme.of(isDarkPage())),
        EditorView.editable.of(editable),
        EditorState.readOnly.of(!editable),
        EditorView.contentAttributes.of({ 'aria-label': `Editor for ${this.options.path}` }),
        EditorView.updateListener.of((update) => {
          if (update.docChanged) this.onEdit(update.state);
        }),
      ],
    });
  }

  private replaceBuffer(text: string, etag: string | null, keepPlace: boolean): void {
    const head = this.view.state.selection.main.head;
    const scrollTop = this.view.scrollDOM.scrollTop;
    const hadFocus = this.view.hasFocus;
    this.view.setState(this.makeState(text, true));
    this.etag = etag;
    this.saved = this.view.state.doc;
    if (keepPlace) {
      this.view.dispatch({ selection: { anchor: Math.min(head, this.view.state.doc.length) } });
      this.view.scrollDOM.scrollTop = scrollTop;
    }
    if (hadFocus) this.view.focus();
  }

  private onEdit(state: EditorState): void {
    const dirty = !state.doc.eq(this.saved);
    if (dirty === this.ui.dirty && this.ui.changed !== 'reloaded') return;
    this.update({
      dirty,
      // "Reloaded" was news about the content before this edit; an edit makes it old news.
      changed: this.ui.changed === 'reloaded' ? 'none' : this.ui.changed,
      ...(dirty === this.ui.dirty
        ? {}
        : dirty
          ? { status: 'Unsaved changes', statusTone: 'info' as const }
          : { status: 'No unsaved changes', statusTone: 'info' as const }),
    });
  }

  private update(change: Partial<EditorUiState>): void {
    const next = { ...this.ui, ...change };
    if ((Object.keys(change) as (keyof EditorUiState)[]).every((key) => next[key] === this.ui[key])) return;
    this.ui = next;
    this.options.onState(next);
  }

  private readonly onSchemeChange = () => {
    this.view.dispatch({ effects: this.dark.reconfigure(EditorView.darkTheme.of(isDarkPage())) });
  };

  private readonly onVisibilityChange = () => {
    if (document.visibilityState === 'visible') void this.poll();
  };

  private readonly onBeforeUnload = (event: BeforeUnloadEvent) => {
    if (this.ui.dirty) event.preventDefault(); // the browser asks "leave the page?"
  };
}

function isDarkPage(): boolean {
  return document.documentElement.dataset.theme === 'dark';
}
