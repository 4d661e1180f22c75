'use client';

import { FitAddon } from '@xterm/addon-fit';
import { WebLinksAddon } from '@xterm/addon-web-links';
import { Terminal, type ITheme } from '@xterm/xterm';
import '@xterm/xterm/css/xterm.css';
import { useEffect, useRef, useState } from 'react';
import { TERMINAL_CLOSE, TerminalEventSchema, type TerminalClientMessage } from '@/contract';
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

  useEffect(() => {
    const element = host.current;
    if (!element) return;
    const term = new Terminal({
      cursorBlink: true,
      fontFamily: 'ui-monospace, SFMono-Regular, Menlo, Consolas, monospace',
      fontSize: 14,
      scrollback: 5000,
      theme: themeFromPage(),
    });
    const fit = new FitAddon();
    term.loadAddon(fit);
    term.loadAddon(new WebLinksAddon());
    term.open(element);
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
        unsubscribe ??= input?.subscribe((data) => {
          send({ type: 'input', data });
          term.focus();
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

    // Ctrl+C stays the shell's interrupt; Ctrl+Shift+C and Ctrl+Shift+V copy and paste, as in
    // desktop terminals. (The context menu and the browser's own paste work too.)
    term.attachCustomKeyEventHandler((event) => {
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
    const typed = term.onData((data) => send({ type: 'input', data }));
    let unsubscribe: (() => void) | undefined;
    const resize = term.onResize(({ cols, rows }) => send({ type: 'resize', cols, rows }));
    const observer = new ResizeObserver(() => fit.fit());
    observer.observe(element);
    connect();

    return () => {
      disposed = true;
      clearTimeout(retryTimer);
      observer.disconnect();
      typed.dispose();
      unsubscribe?.();
      resize.dispose();
      socket?.close(1000, 'closed by the page');
      term.dispose();
    };
  }, [sessionId, input]);

  return (
    <div className="terminal-pane">
      <div className={`terminal-status status-${status}`} data-testid="terminal-status" role="status">
        {STATUS_TEXT[status]}
      </div>
      <div ref={host} className="terminal-host" data-testid="terminal" />
    </div>
  );
}
