import { describe, expect, it } from 'vitest';
import { SessionNotFoundError } from '../errors';
import type { PtyHandle } from '../runtime/runtime';
import type { SessionManager } from '../session/session-manager';
import { TERMINAL_CLOSE } from '@/contract';
import { ShellHub, type TerminalSink } from './shell-hub';

/** A shell whose output the test pushes, whose input stream the test fills and drains. */
function fakePty() {
  const listeners: { data: ((chunk: Buffer) => void)[]; drain: (() => void)[] } = { data: [], drain: [] };
  const pty = {
    paused: false,
    full: false,
    written: [] as string[],
    write(data: string | Buffer) {
      pty.written.push(String(data));
      return !pty.full;
    },
    onDrain: (listener: () => void) => listeners.drain.push(listener),
    resize: async () => {},
    onData: (listener: (chunk: Buffer) => void) => listeners.data.push(listener),
    onExit: () => {},
    pause: () => (pty.paused = true),
    resume: () => (pty.paused = false),
    close: () => {},
    emit: (bytes: number) => listeners.data.forEach((listener) => listener(Buffer.alloc(bytes, 'y'))),
    drain: () => {
      pty.full = false;
      listeners.drain.forEach((listener) => listener());
    },
  };
  return pty;
}

function hubWith(pty: ReturnType<typeof fakePty>, state = { ended: false }) {
  const manager = {
    onSessionEnded: () => {},
    openShell: async () => pty as unknown as PtyHandle,
    touch: () => {
      if (state.ended) throw new SessionNotFoundError('no live session s_1');
    },
  } as unknown as SessionManager;
  return new ShellHub(manager, {
    replayBytes: 1024,
    highWatermarkBytes: 1000,
    lowWatermarkBytes: 200,
    detachedShellTimeoutMs: 60_000,
  });
}

/** A client socket: `flush()` lets queued output leave, as the kernel taking it would. */
function fakeSink() {
  const pending: (() => void)[] = [];
  const sink = {
    closed: undefined as number | undefined,
    events: [] as unknown[],
    sendOutput: (_chunk: Buffer, done: () => void) => void pending.push(done),
    sendEvent: (event: unknown) => void sink.events.push(event),
    close: (code: number) => void (sink.closed = code),
    flush: () => pending.splice(0).forEach((done) => done()),
  };
  return sink;
}

const size = { cols: 80, rows: 24 };

describe('shell flow control', () => {
  it('an acknowledgement of more than was sent does not unpause a shell', async () => {
    const pty = fakePty();
    const sink = fakeSink();
    const terminal = await hubWith(pty).attach('s_1', 'main', sink as TerminalSink, size);
    pty.emit(1500);
    sink.flush();
    expect(pty.paused).toBe(true);
    terminal.ack(1e15); // counts 1500 bytes at most
    expect(pty.paused).toBe(false);
    pty.emit(1500);
    sink.flush();
    expect(pty.paused).toBe(true);
  });

  it('output that never leaves the socket pauses the shell, however much the client acknowledges', async () => {
    const pty = fakePty();
    const sink = fakeSink();
    const terminal = await hubWith(pty).attach('s_1', 'main', sink as TerminalSink, size);
    pty.emit(1500); // queued, never flushed: the client does not read
    terminal.ack(1e15);
    expect(pty.paused).toBe(true);
    sink.flush();
    terminal.ack(1500);
    expect(pty.paused).toBe(false);
  });

  it('input waits for the shell stream to drain, and output then pauses on the socket alone', async () => {
    const pty = fakePty();
    const sink = fakeSink();
    const terminal = await hubWith(pty).attach('s_1', 'main', sink as TerminalSink, size);
    expect(terminal.input('a')).toBe('sent');
    pty.full = true;
    expect(terminal.input('b')).toBe('wait');
    let drained = false;
    terminal.whenInputDrains(() => (drained = true));
    // Sent but unacknowledged output does not hold the shell while its input waits (acks may be
    // stuck behind that input), but output that does not leave the socket still does.
    pty.emit(1500);
    sink.flush();
    expect(pty.paused).toBe(false);
    pty.emit(1500);
    expect(pty.paused).toBe(true);
    pty.drain();
    expect(drained).toBe(true);
  });

  it('input after the session ended is dropped, and the client gets 4004', async () => {
    const pty = fakePty();
    const sink = fakeSink();
    const state = { ended: false };
    const terminal = await hubWith(pty, state).attach('s_1', 'main', sink as TerminalSink, size);
    state.ended = true;
    expect(() => terminal.input('ls\r')).not.toThrow();
    expect(terminal.input('ls\r')).toBe('dropped');
    expect(sink.closed).toBe(TERMINAL_CLOSE.sessionEnded);
    expect(pty.written).toEqual([]);
  });
});
