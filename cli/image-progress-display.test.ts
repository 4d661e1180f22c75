import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ImageProgress } from '@/sandbox';
import { formatElapsed, ImageProgressDisplay } from './image-progress-display';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

function setup(tty: boolean) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'keiko-display-'));
  dirs.push(dir);
  let clock = 0;
  let text = '';
  const logFile = path.join(dir, 'logs', 'images.log');
  const display = new ImageProgressDisplay({
    out: { write: (chunk: string) => (text += chunk) },
    tty,
    logFile,
    now: () => clock,
  });
  const send = (image: string, phase: ImageProgress['phase'], message: string) =>
    display.onProgress({ image, phase, message });
  return {
    display,
    send,
    logFile,
    advance: (ms: number) => (clock += ms),
    output: () => text,
  };
}

describe('ImageProgressDisplay', () => {
  it('prints the log path first, then one plain line per change with step n/m and elapsed time', () => {
    const { display, send, advance, output, logFile } = setup(false);
    send('keiko/bottle:latest', 'wait', 'keiko/bottle:latest: queued');
    send('keiko/dns:latest', 'wait', 'keiko/dns:latest: queued');
    send('keiko/bottle:latest', 'build', 'building keiko/bottle:latest');
    advance(3_000);
    send('keiko/bottle:latest', 'build', 'Step 2/7 : RUN apt-get update');
    send('keiko/bottle:latest', 'build', 'Get:1 http://deb.debian.org/debian bookworm InRelease');
    advance(62_000);
    send('keiko/bottle:latest', 'done', 'keiko/bottle:latest built (0123456789ab)');
    send('keiko/dns:latest', 'done', 'keiko/dns:latest is up to date');
    display.finish();
    const lines = output().trimEnd().split('\n');
    expect(lines[0]).toBe(`keiko images: full build logs in ${logFile}`);
    expect(lines).toContain('  keiko/bottle:latest  building      step 2/7    3s');
    expect(lines).toContain('  keiko/bottle:latest  built                     1m05s');
    expect(lines).toContain('  keiko/dns:latest     up to date                0s');
    // The apt lines go to the log, not the screen.
    expect(output()).not.toContain('Get:1');
    expect(fs.readFileSync(logFile, 'utf8')).toMatch(
      /\[keiko\/bottle:latest\] Get:1 http:\/\/deb\.debian\.org\/debian bookworm InRelease/,
    );
  });

  it("shows a failed image's last log lines and the log's path", () => {
    const { display, send, output, logFile } = setup(false);
    send('keiko/apache:latest', 'build', 'Step 2/5 : RUN apt-get install apache2');
    send('keiko/apache:latest', 'build', 'E: Unable to locate package apache2');
    send('keiko/apache:latest', 'failed', "The command '/bin/sh -c apt-get install apache2' returned 100");
    display.finish();
    expect(output()).toContain(
      'keiko/apache:latest failed; the last lines of its log:\n' +
        '  Step 2/5 : RUN apt-get install apache2\n' +
        '  E: Unable to locate package apache2\n' +
        "  The command '/bin/sh -c apt-get install apache2' returned 100\n" +
        `(the whole log: ${logFile})`,
    );
  });

  it('on a terminal, redraws one line per image in place', () => {
    const { display, send, output } = setup(true);
    send('keiko/a:latest', 'wait', 'queued');
    send('keiko/b:latest', 'build', 'Step 1/3 : FROM debian:bookworm');
    display.finish();
    expect(output()).toContain('\x1b[2K  keiko/a:latest  queued');
    expect(output()).toContain('\x1b[2K  keiko/b:latest  building      step 1/3    0s');
  });

  it('formats elapsed time as seconds, then minutes and seconds', () => {
    expect(formatElapsed(9_400)).toBe('9s');
    expect(formatElapsed(125_000)).toBe('2m05s');
  });
});
