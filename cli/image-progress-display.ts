/**
 * What `keiko images build` (and so `npm run up`) shows while images build: one line per image with
 * its state, step n/m and elapsed time, redrawn in place on a terminal and printed as plain lines
 * (on each change, and every 15 s while building) otherwise. Every line the builds print goes to a
 * log file instead, whose path is shown first; a failed image shows the last lines of its log.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { ImageProgress } from '@/sandbox';

/** How often a terminal display is redrawn, and how often plain output repeats what is building. */
const REDRAW_MS = 250;
const PLAIN_REPEAT_MS = 15_000;
/** Lines of a failed image's log shown with the error. */
const TAIL_LINES = 20;

type State =
  | 'queued'
  | 'checking'
  | 'pulling'
  | 'bootstrapping'
  | 'importing'
  | 'building'
  | 'up to date'
  | 'present'
  | 'pulled'
  | 'bootstrapped'
  | 'built'
  | 'failed';

interface ImageLine {
  image: string;
  state: State;
  step?: { n: number; of: number };
  startedAt?: number;
  endedAt?: number;
  tail: string[];
}

export interface DisplayOutput {
  write(text: string): unknown;
}

export interface ImageProgressDisplayOptions {
  out: DisplayOutput;
  /** Redraw in place (a terminal) or print plain lines (a pipe, CI's log). */
  tty: boolean;
  logFile: string;
  now?: () => number;
}

const FINAL: ReadonlySet<State> = new Set([
  'up to date',
  'present',
  'pulled',
  'bootstrapped',
  'built',
  'failed',
]);

function stateOf(event: ImageProgress): State {
  switch (event.phase) {
    case 'wait':
      return 'queued';
    case 'check':
      return 'checking';
    case 'pull':
      return 'pulling';
    case 'bootstrap':
      return 'bootstrapping';
    case 'import':
      return 'importing';
    case 'build':
      return 'building';
    case 'failed':
      return 'failed';
    case 'done':
      if (/up to date/.test(event.message)) return 'up to date';
      if (/ is present/.test(event.message)) return 'present';
      if (/ pulled/.test(event.message)) return 'pulled';
      if (/ bootstrapped/.test(event.message)) return 'bootstrapped';
      return 'built';
  }
}

export function formatElapsed(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  return seconds < 60
    ? `${seconds}s`
    : `${Math.floor(seconds / 60)}m${String(seconds % 60).padStart(2, '0')}s`;
}

export class ImageProgressDisplay {
  private readonly images = new Map<string, ImageLine>();
  private readonly now: () => number;
  private readonly fd: number;
  private drawnLines = 0;
  private timer: NodeJS.Timeout | undefined;
  private lastPlainRepeat: number;

  constructor(private readonly options: ImageProgressDisplayOptions) {
    this.now = options.now ?? Date.now;
    this.lastPlainRepeat = this.now();
    fs.mkdirSync(path.dirname(options.logFile), { recursive: true });
    this.fd = fs.openSync(options.logFile, 'a');
    options.out.write(`keiko images: full build logs in ${options.logFile}\n`);
    this.timer = setInterval(() => this.tick(), options.tty ? REDRAW_MS : 1000);
    this.timer.unref();
  }

  readonly onProgress = (event: ImageProgress): void => {
    fs.writeSync(this.fd, `${new Date(this.now()).toISOString()} [${event.image}] ${event.message}\n`);
    let line = this.images.get(event.image);
    if (!line) {
      line = { image: event.image, state: 'queued', tail: [] };
      this.images.set(event.image, line);
    }
    line.tail.push(event.message);
    if (line.tail.length > TAIL_LINES) line.tail.shift();
    const step = /^Step (\d+)\/(\d+) :/.exec(event.message);
    if (step) line.step = { n: Number(step[1]), of: Number(step[2]) };
    const state = stateOf(event);
    const changed = state !== line.state;
    if (state !== 'queued' && line.startedAt === undefined) line.startedAt = this.now();
    if (FINAL.has(state)) line.endedAt ??= this.now();
    line.state = state;
    if (this.options.tty) return; // drawn by the timer
    if (changed || step) this.options.out.write(`${this.describe(line)}\n`);
  };

  /** Stops redrawing, draws the final state, and shows the log's last lines for each failed image. */
  finish(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    if (this.options.tty) this.draw();
    fs.closeSync(this.fd);
    for (const line of this.images.values()) {
      if (line.state !== 'failed') continue;
      this.options.out.write(
        `\n${line.image} failed; the last lines of its log:\n${line.tail.map((text) => `  ${text}`).join('\n')}\n` +
          `(the whole log: ${this.options.logFile})\n`,
      );
    }
  }

  private tick(): void {
    if (this.options.tty) return this.draw();
    if (this.now() - this.lastPlainRepeat < PLAIN_REPEAT_MS) return;
    this.lastPlainRepeat = this.now();
    for (const line of this.images.values()) {
      if (!FINAL.has(line.state) && line.state !== 'queued')
        this.options.out.write(`${this.describe(line)}\n`);
    }
  }

  private draw(): void {
    const lines = [...this.images.values()].map((line) => `\x1b[2K${this.describe(line)}`);
    const up = this.drawnLines > 0 ? `\x1b[${this.drawnLines}A\r` : '';
    this.options.out.write(`${up}${lines.join('\n')}\n`);
    this.drawnLines = lines.length;
  }

  private describe(line: ImageLine): string {
    const width = Math.max(...[...this.images.keys()].map((image) => image.length));
    const step = line.step && line.state === 'building' ? `step ${line.step.n}/${line.step.of}` : '';
    const elapsed =
      line.startedAt === undefined ? '' : formatElapsed((line.endedAt ?? this.now()) - line.startedAt);
    return `  ${line.image.padEnd(width)}  ${line.state.padEnd(13)} ${step.padEnd(11)} ${elapsed}`.trimEnd();
  }
}
