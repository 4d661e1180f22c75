import { describeError } from '../errors';
import type { PtyHandle } from '../runtime/runtime';
import type { SessionManager } from '../session/session-manager';
import { RingBuffer } from './ring-buffer';

/** Application close codes of the terminal WebSocket (docs/protocols/terminal.md). */
export const TERMINAL_CLOSE = {
  shellExited: 4000,
  replaced: 4001,
  sessionEnded: 4004,
  protocolError: 4008,
  sandboxError: 4500,
} as const;

export type TerminalEvent = { type: 'exit'; code: number | null } | { type: 'error'; message: string };

/** Where a shell's output goes: one connected client (a WebSocket, in the platform). */
export interface TerminalSink {
  sendOutput(chunk: Buffer): void;
  sendEvent(event: TerminalEvent): void;
  close(code: number, reason: string): void;
}

export interface AttachedTerminal {
  input(data: string): void;
  resize(cols: number, rows: number): void;
  /** The client has processed this many more bytes of output (xterm.js write callbacks). */
  ack(bytes: number): void;
  detach(): void;
}

export interface ShellHubOptions {
  /** Recent output kept per shell and replayed to a client that reconnects. */
  replayBytes: number;
  /** Output sent but not yet acknowledged past which the shell is paused. */
  highWatermarkBytes: number;
  /** ...and below which it resumes. */
  lowWatermarkBytes: number;
  /** A shell no client has reconnected to for this long is closed (its session stays). */
  detachedShellTimeoutMs: number;
}

export const DEFAULT_SHELL_HUB_OPTIONS: ShellHubOptions = {
  replayBytes: 256 * 1024, // 256 KiB
  highWatermarkBytes: 1024 * 1024, // 1 MiB
  lowWatermarkBytes: 256 * 1024, // 256 KiB
  detachedShellTimeoutMs: 15 * 60_000, // 15 min
};

class Shell {
  readonly ring: RingBuffer;
  sink: TerminalSink | undefined;
  inflightBytes = 0;
  paused = false;
  private detachedTimer: NodeJS.Timeout | undefined;

  constructor(
    readonly sessionId: string,
    readonly pty: PtyHandle,
    private readonly options: ShellHubOptions,
  ) {
    this.ring = new RingBuffer(options.replayBytes);
  }

  output(chunk: Buffer): void {
    this.ring.push(chunk);
    if (!this.sink) return;
    this.sink.sendOutput(chunk);
    this.inflightBytes += chunk.length;
    if (!this.paused && this.inflightBytes > this.options.highWatermarkBytes) {
      this.paused = true;
      this.pty.pause();
    }
  }

  ack(bytes: number): void {
    this.inflightBytes = Math.max(0, this.inflightBytes - bytes);
    this.resumeIfDrained();
  }

  /** A shell with no client writes to its replay buffer only, and is never held paused. */
  setSink(sink: TerminalSink | undefined): void {
    this.sink = sink;
    this.inflightBytes = 0;
    this.resumeIfDrained();
    clearTimeout(this.detachedTimer);
    if (!sink) {
      this.detachedTimer = setTimeout(() => this.pty.close(), this.options.detachedShellTimeoutMs);
      this.detachedTimer.unref();
    }
  }

  private resumeIfDrained(): void {
    if (this.paused && this.inflightBytes < this.options.lowWatermarkBytes) {
      this.paused = false;
      this.pty.resume();
    }
  }
}

/**
 * The learners' shells. A shell outlives its WebSocket: a client that reconnects with the same
 * terminal key gets the same shell, with its recent output replayed; a new key opens another shell.
 * Output is paused while too much of it is unacknowledged, so a runaway `yes` neither grows the
 * server's memory nor floods the browser.
 */
export class ShellHub {
  private readonly shells = new Map<string, Promise<Shell>>();

  constructor(
    private readonly manager: SessionManager,
    private readonly options: ShellHubOptions = DEFAULT_SHELL_HUB_OPTIONS,
  ) {
    manager.onSessionEnded((sessionId, _status, reason) => this.closeSession(sessionId, reason));
  }

  async attach(
    sessionId: string,
    terminalKey: string,
    sink: TerminalSink,
    size: { cols: number; rows: number },
  ): Promise<AttachedTerminal> {
    const key = `${sessionId}/${terminalKey}`;
    let pending = this.shells.get(key);
    const reconnect = pending !== undefined;
    if (!pending) {
      pending = this.open(key, sessionId, size);
      this.shells.set(key, pending);
      pending.catch(() => this.shells.delete(key));
    }
    const shell = await pending;
    shell.sink?.close(TERMINAL_CLOSE.replaced, 'this terminal was opened elsewhere');
    shell.setSink(sink);
    if (reconnect) {
      const replay = shell.ring.contents();
      if (replay.length) sink.sendOutput(replay);
      void shell.pty.resize(size.cols, size.rows).catch(() => {});
    }
    return {
      input: (data) => {
        this.manager.touch(sessionId);
        shell.pty.write(data);
      },
      resize: (cols, rows) => void shell.pty.resize(cols, rows).catch(() => {}),
      ack: (bytes) => shell.ack(bytes),
      detach: () => {
        if (shell.sink === sink) shell.setSink(undefined);
      },
    };
  }

  /** How many shells are open, for tests and metrics. */
  get openShells(): number {
    return this.shells.size;
  }

  private async open(key: string, sessionId: string, size: { cols: number; rows: number }): Promise<Shell> {
    const pty = await this.manager.openShell(sessionId, size);
    const shell = new Shell(sessionId, pty, this.options);
    pty.onData((chunk) => shell.output(chunk));
    pty.onExit((code) => {
      this.shells.delete(key);
      shell.sink?.sendEvent({ type: 'exit', code });
      shell.sink?.close(TERMINAL_CLOSE.shellExited, 'the shell exited');
    });
    return shell;
  }

  private closeSession(sessionId: string, reason: string): void {
    for (const [key, pending] of this.shells) {
      if (!key.startsWith(`${sessionId}/`)) continue;
      this.shells.delete(key);
      void pending.then(
        (shell) => {
          const sink = shell.sink;
          shell.sink = undefined;
          sink?.sendEvent({ type: 'error', message: `the lab session ended: ${reason}` });
          sink?.close(TERMINAL_CLOSE.sessionEnded, 'the lab session ended');
          shell.pty.close();
        },
        (error: unknown) => console.error(`keiko: shell of ${sessionId} failed: ${describeError(error)}`),
      );
    }
  }
}
