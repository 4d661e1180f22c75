'use client';

import { FitAddon } from '@xterm/addon-fit';
import { WebLinksAddon } from '@xterm/addon-web-links';
import { Terminal, type IMarker, type ITheme } from '@xterm/xterm';
import '@xterm/xterm/css/xterm.css';
import { useEffect, useId, useRef, useState } from 'react';
import { TERMINAL_CLOSE, TerminalEventSchema, type TerminalClientMessage } from '@/contract';
import { escapeThenTab } from './escape-then-tab';
import { lastOutput, type TerminalRow } from './last-output';
import type { TerminalBus } from './terminal-bus';

type Status = 'connecting' | 'connected' | 'reconnecting' | 'ended' | 'replaced';

const STATUS_TEXT: Record<Status, string> = {
  connecting: 'Connecting…',
  connected: 'Connected',
  reconnecting: 'Connection lost, reconnecting…',
  ended: 'The lab session has ended',
  replaced: 'This terminal is open in another tab',
};

/** Close codes after which reconnecting cannot help (docs/protocols/terminal.md). */
const FINAL_CLOSE: Record<number, Status> = {
  [TERMINAL_CLOSE.replaced]: 'replaced',
  [TERMINAL_CLOSE.sessionEnded]: 'ended',
};
const ACK_EVERY_BYTES = 64 * 1024;
/** The learner's choice of xterm.js's screen reader mode, kept across pages and visits. */
export const SCREEN_READER_KEY = 'keiko.terminal.screenReader';

function storedScreenReaderMode(): boolean {
  try {
    return localStorage.getItem(SCREEN_READER_KEY) === 'on';
  } catch {
    return false;
  }
}

function prefersReducedMotion(): boolean {
  return matchMedia('(prefers-reduced-motion: reduce)').matches;
}

/** Each browser tab has its own terminal key, kept across reloads of that tab: same tab, same shell. */
function terminalKey(sessionId: string): string {
  const storageKey = `keiko.terminal.${sessionId}`;
  let key = sessionStorage.getItem(storageKey);
  if (!key) {
    key = crypto.randomUUID().replaceAll('-', '').slice(0, 16);
    sessionStorage.setItem(storageKey, key);
  }
  return key;
}

function themeFromPage(): ITheme {
  const style = getComputedStyle(document.documentElement);
  const read = (name: string, fallback: string) => style.getPropertyValue(name).trim() || fallback;
  return {
    background: read('--terminal-bg', '#1d1b18'),
    foreground: read('--terminal-fg', '#ece8e1'),
    cursor: read('--accent', '#f07a5f'),
    selectionBackground: read('--terminal-selection', '#5a4a3f'),
  };
}

/**
 * The lab's terminal: xterm.js over Keiko's WebSocket. It fits its pane, reconnects by itself to the
 * same shell, acknowledges output as xterm.js renders it (so a flood is paced by the server), and
 * disposes everything on unmount.
 */
export function LabTerminal({
  sessionId,
  input,
  onEnded,
}: {
  sessionId: string;
  input?: TerminalBus;
  /** Called when the server says the session has ended (close code 4004). */
  onEnded?: () => void;
}) {
  const host = useRef<HTMLDivElement>(null);
  const [status, setStatus] = useState<Status>('connecting');
  // This component renders in the browser only (the lab panel loads it with ssr: false).
  const [screenReader, setScreenReader] = useState(storedScreenReaderMode);
  const [output, setOutput] = useState<string | null>(null);
  const live = useRef<{ term: Terminal; readLastOutput(): string } | null>(null);
  const outputBox = useRef<HTMLPreElement>(null);
  const helpId = useId();

  useEffect(() => {
    if (live.current) live.current.term.options.screenReaderMode = screenReader;
  }, [screenReader]);
  useEffect(() => {
    if (output !== null) outputBox.current?.focus();
  }, [output]);

  useEffect(() => {
    const element = host.current;
    if (!element) return;
    const term = new Terminal({
      cursorBlink: !prefersReducedMotion(),
      screenReaderMode: storedScreenReaderMode(),
      fontFamily: 'ui-monospace, SFMono-Regular, Menlo, Consolas, monospace',
      fontSize: 14,
      scrollback: 5000,
      theme: themeFromPage(),
    });
    const fit = new FitAddon();
    term.loadAddon(fit);
    term.loadAddon(new WebLinksAddon());
    term.open(element);
    // Whoever lands in the terminal hears how to get out of it.
    term.textarea?.setAttribute('aria-describedby', helpId);
    fit.fit();

    let socket: WebSocket | undefined;
    let disposed = false;
    let retryMs = 500;
    let retryTimer: ReturnType<typeof setTimeout> | undefined;
    let processed = 0;
    let acked = 0;
    const key = terminalKey(sessionId);
    const send = (message: TerminalClientMessage) => {
      if (socket?.readyState === WebSocket.OPEN) socket.send(JSON.stringify(message));
    };

    const connect = () => {
      const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
      const query = new URLSearchParams({ terminal: key, cols: String(term.cols), rows: String(term.rows) });
      const ws = new WebSocket(`${scheme}://${location.host}/api/sessions/${sessionId}/terminal?${query}`);
      ws.binaryType = 'arraybuffer';
      socket = ws;
      processed = 0;
      acked = 0;
      ws.onopen = () => {
        retryMs = 500;
        setStatus('connected');
        // A reconnect replays the shell's recent output: start from a clean screen.
        term.reset();
        // Commands sent from the lesson (a <Run>) go in as if typed, once the shell is there.
        unsubscribe ??= input?.subscribe(({ data, focus }) => {
          noteInput(data);
          send({ type: 'input', data });
          if (focus) term.focus();
        });
      };
      ws.onmessage = (event: MessageEvent<ArrayBuffer | string>) => {
        if (typeof event.data === 'string') {
          const parsed = TerminalEventSchema.safeParse(JSON.parse(event.data));
          if (!parsed.success) return;
          const message = parsed.data;
          if (message.type === 'exit')
            term.write(
              `\r\n[the shell exited with code ${message.code ?? '?'}; reconnecting opens a new one]\r\n`,
            );
          if (message.type === 'error') term.write(`\r\n[${message.message}]\r\n`);
          return;
        }
        const bytes = new Uint8Array(event.data);
        term.write(bytes, () => {
          processed += bytes.length;
          if (processed - acked >= ACK_EVERY_BYTES) {
            send({ type: 'ack', bytes: processed - acked });
            acked = processed;
          }
        });
      };
      ws.onclose = (event) => {
        if (disposed || socket !== ws) return;
        const final = FINAL_CLOSE[event.code];
        if (final === 'ended') onEnded?.();
        if (final) return setStatus(final);
        setStatus('reconnecting');
        retryTimer = setTimeout(connect, retryMs);
        retryMs = Math.min(retryMs * 2, 5000);
      };
    };

    // Where the last command was typed, and the prompt before it: "read the last output" reads
    // from there. A marker follows its row as the screen scrolls and lapses when the row is gone.
    let commandRow: IMarker | undefined;
    let prompt = '';
    let typing = false;
    const cursorRowText = () => {
      const buffer = term.buffer.active;
      return buffer.getLine(buffer.baseY + buffer.cursorY)?.translateToString(false, 0, buffer.cursorX) ?? '';
    };
    const noteInput = (data: string) => {
      if (!typing) prompt = cursorRowText();
      typing = true;
      if (!data.includes('\r')) return;
      commandRow?.dispose();
      commandRow = term.registerMarker(0);
      typing = false;
    };
    const readLastOutput = () => {
      if (!commandRow || commandRow.isDisposed) return 'No command has run in this terminal yet.';
      const buffer = term.buffer.active;
      const rows: TerminalRow[] = [];
      for (let line = commandRow.line + 1; line <= buffer.baseY + buffer.cursorY; line++) {
        const row = buffer.getLine(line);
        if (row) rows.push({ text: row.translateToString(true), wrapped: row.isWrapped });
      }
      const command = buffer.getLine(commandRow.line)?.translateToString(true) ?? '';
      return lastOutput(rows, prompt, command) || 'The last command printed nothing.';
    };
    live.current = { term, readLastOutput };

    const leavesTerminal = escapeThenTab(() => {
      noteInput('\x1b');
      send({ type: 'input', data: '\x1b' });
    });

    // Ctrl+C stays the shell's interrupt; Ctrl+Shift+C and Ctrl+Shift+V copy and paste, as in
    // desktop terminals. (The context menu and the browser's own paste work too.)
    term.attachCustomKeyEventHandler((event) => {
      if (leavesTerminal(event)) return false;
      if (event.type !== 'keydown' || !event.ctrlKey || !event.shiftKey) return true;
      if (event.code === 'KeyC' && term.hasSelection()) {
        void navigator.clipboard?.writeText(term.getSelection());
        return false;
      }
      if (event.code === 'KeyV') {
        void navigator.clipboard?.readText().then((text) => term.paste(text));
        return false;
      }
      return true;
    });
    const typed = term.onData((data) => {
      noteInput(data);
      send({ type: 'input', data });
    });
    let unsubscribe: (() => void) | undefined;
    const resize = term.onResize(({ cols, rows }) => send({ type: 'resize', cols, rows }));
    const observer = new ResizeObserver(() => fit.fit());
    observer.observe(element);
    connect();

    return () => {
      disposed = true;
      live.current = null;
      clearTimeout(retryTimer);
      leavesTerminal.dispose();
      observer.disconnect();
      typed.dispose();
      unsubscribe?.();
      resize.dispose();
      socket?.close(1000, 'closed by the page');
      term.dispose();
    };
  }, [sessionId, input, helpId]);

  return (
    <div className="terminal-pane">
      <div className="terminal-bar">
        <span className={`terminal-status status-${status}`} data-testid="terminal-status" role="status">
          {STATUS_TEXT[status]}
        </span>
        <label className="terminal-option">
          <input
            type="checkbox"
            checked={screenReader}
            data-testid="terminal-screen-reader"
            onChange={(event) => {
              const on = event.target.checked;
              setScreenReader(on);
              try {
                if (on) localStorage.setItem(SCREEN_READER_KEY, 'on');
                else localStorage.removeItem(SCREEN_READER_KEY);
              } catch {
                // A browser that keeps nothing: the choice lasts for this page.
              }
            }}
          />
          Screen reader mode
        </label>
        <button
          type="button"
          className="terminal-read"
          onClick={() => setOutput(live.current?.readLastOutput() ?? '')}
        >
          Read last output
        </button>
      </div>
      {output !== null && (
        <section className="terminal-output" aria-label="Output of the last command">
          <pre
            ref={outputBox}
            tabIndex={0}
            data-testid="terminal-last-output"
            onKeyDown={(event) => {
              if (event.key === 'Escape') {
                setOutput(null);
                live.current?.term.focus();
              }
            }}
          >
            {output}
          </pre>
          <button
            type="button"
            onClick={() => {
              setOutput(null);
              live.current?.term.focus();
            }}
          >
            Close
          </button>
        </section>
      )}
      <div ref={host} className="terminal-host" data-testid="terminal" />
      <p className="terminal-help" id={helpId}>
        <kbd>Tab</kbd> completes in the shell; <kbd>Esc</kbd> then <kbd>Tab</kbd> leaves the terminal ·{' '}
        <kbd>Ctrl</kbd>+<kbd>Shift</kbd>+<kbd>C</kbd>/<kbd>V</kbd> copy and paste
      </p>
    </div>
  );
}
