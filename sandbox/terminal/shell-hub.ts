import { TERMINAL_CLOSE, type TerminalEvent } from '@/contract';
import { describeError } from '../errors';
import type { PtyHandle } from '../runtime/runtime';
import type { SessionManager } from '../session/session-manager';
import { CommandMarkScanner, SHELL_INTEGRATION_ENV } from './command-marks';
import { RingBuffer } from './ring-buffer';

/** Where a shell's output goes: one connected client (a WebSocket, in the platform). */
export interface TerminalSink {
  /**
   * Sends output; `done` is called once the chunk has left for the client (handed to the kernel) or
   * was dropped because the client is gone. Until then it counts as queued in the server's memory.
   */
  sendOutput(chunk: Buffer, done: () => void): void;
  sendEvent(event: TerminalEvent): void;
  close(code: number, reason: string): void;
}

/** What `input` did: written, written but the shell's stream is full (`wait` for drain), or dropped. */
export type InputResult = 'sent' | 'wait' | 'dropped';

export interface AttachedTerminal {
  input(data: string): InputResult;
  /** Calls back once the shell's input stream can take more (at once if it already can). */
  whenInputDrains(callback: () => void): void;
  resize(cols: number, rows: number): void;
  /** The client has processed this many more bytes of output (xterm.js write callbacks). */
  ack(bytes: number): void;
  detach(): void;
}

export interface ShellHubOptions {
  /** Recent output kept per shell and replayed to a client that reconnects. */
  replayBytes: number;
  /** Output queued or sent but not yet acknowledged past which the shell is paused. */
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

/** The output accounting of one client: a new client starts from zero, late callbacks of an old one change nothing. */
interface Flow {
  /** Bytes handed to the sink that have not left the server yet. */
  queued: number;
  /** Bytes that left the server and the client has not acknowledged. */
  unacked: number;
}

class Shell {
  readonly ring: RingBuffer;
  sink: TerminalSink | undefined;
  flow: Flow = { queued: 0, unacked: 0 };
  paused = false;
  /** Input is waiting for the shell's stream to drain. */
  inputWaiting = false;
  private readonly drainWaiters: (() => void)[] = [];
  private detachedTimer: NodeJS.Timeout | undefined;

  constructor(
    readonly sessionId: string,
    readonly pty: PtyHandle,
    private readonly options: ShellHubOptions,
  ) {
    this.ring = new RingBuffer(options.replayBytes);
    pty.onDrain(() => {
      this.inputWaiting = false;
      for (const waiter of this.drainWaiters.splice(0)) waiter();
      this.updatePause();
    });
  }

  output(chunk: Buffer): void {
    this.ring.push(chunk);
    if (this.sink) this.send(chunk);
  }

  send(chunk: Buffer): void {
    const sink = this.sink;
    if (!sink) return;
    const flow = this.flow;
    flow.queued += chunk.length;
    let done = false;
    sink.sendOutput(chunk, () => {
      if (done) return;
      done = true;
      flow.queued -= chunk.length;
      flow.unacked += chunk.length;
      if (flow === this.flow) this.updatePause();
    });
    this.updatePause();
  }

  /** Acknowledgements count only bytes really sent: a client cannot unblock output it never received. */
  ack(bytes: number): void {
    this.flow.unacked -= Math.min(bytes, this.flow.unacked);
    this.updatePause();
  }

  write(data: string): InputResult {
    if (this.pty.write(data)) return 'sent';
    this.inputWaiting = true;
    // A shell that waits for its output to be read cannot read its input: while input waits, only
    // the socket's own buffer holds output back, so acknowledgements stuck behind input cannot stall both.
    this.updatePause();
    return 'wait';
  }

  whenInputDrains(callback: () => void): void {
    if (!this.inputWaiting) return callback();
    this.drainWaiters.push(callback);
  }

  /** A shell with no client writes to its replay buffer only, and is never held paused. */
  setSink(sink: TerminalSink | undefined): void {
    this.sink = sink;
    this.flow = { queued: 0, unacked: 0 };
    this.updatePause();
    clearTimeout(this.detachedTimer);
    if (!sink) {
      this.detachedTimer = setTimeout(() => this.pty.close(), this.options.detachedShellTimeoutMs);
      this.detachedTimer.unref();
    }
  }

  private updatePause(): void {
    const load = this.inputWaiting ? this.flow.queued : this.flow.queued + this.flow.unacked;
    if (!this.paused && this.sink && load > this.options.highWatermarkBytes) {
      this.paused = true;
      this.pty.pause();
    } else if (this.paused && (!this.sink || load < this.options.lowWatermarkBytes)) {
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
  private readonly commandListeners: ((sessionId: string) => void)[] = [];

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
      if (replay.length) shell.send(replay);
      void shell.pty.resize(size.cols, size.rows).catch(() => {});
    }
    const attached = () => shell.sink === sink;
    return {
      input: (data) => {
        if (!attached()) return 'dropped';
        try {
          this.manager.touch(sessionId);
        } catch {
          // The session ended between the frame and now: the client is told, as on any other end.
          shell.sink = undefined;
          sink.sendEvent({ type: 'error', message: 'the lab session ended' });
          sink.close(TERMINAL_CLOSE.sessionEnded, 'the lab session ended');
          return 'dropped';
        }
        return shell.write(data);
      },
      whenInputDrains: (callback) => shell.whenInputDrains(callback),
      resize: (cols, rows) => {
        if (attached()) void shell.pty.resize(cols, rows).catch(() => {});
      },
      ack: (bytes) => {
        if (attached()) shell.ack(bytes);
      },
      detach: () => {
        if (shell.sink === sink) shell.setSink(undefined);
      },
    };
  }

  /** Calls the listener each time a command ends in one of the session's shells (its prompt is back). */
  onCommandFinished(listener: (sessionId: string) => void): void {
    this.commandListeners.push(listener);
  }

  /** How many shells are open, for tests and metrics. */
  get openShells(): number {
    return this.shells.size;
  }

  private async open(key: string, sessionId: string, size: { cols: number; rows: number }): Promise<Shell> {
    const pty = await this.manager.openShell(sessionId, size, SHELL_INTEGRATION_ENV);
    const shell = new Shell(sessionId, pty, this.options);
    const marks = new CommandMarkScanner();
    pty.onData((chunk) => {
      shell.output(chunk);
      if (marks.scan(chunk) > 0) for (const listener of this.commandListeners) listener(sessionId);
    });
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
