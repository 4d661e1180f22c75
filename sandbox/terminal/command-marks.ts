/**
 * Shell integration: bash prints this mark (OSC 133;D, the "command finished" mark of FinalTerm's
 * shell-integration protocol, which xterm.js and other terminals swallow) each time it is about to
 * show a prompt, so the platform knows a command just ended without reading the learner's screen.
 * It is a nudge, not a fact: a learner who changes PROMPT_COMMAND only loses the nudge.
 */
export const COMMAND_FINISHED_MARK = '\u001b]133;D';

/** The environment a learner's shell starts with to print the mark. */
export const SHELL_INTEGRATION_ENV = [`PROMPT_COMMAND=printf '\\033]133;D;%s\\007' "$?"`];

/**
 * Finds marks in a terminal's output stream, a chunk at a time: a mark split across two chunks is
 * still found once, from the tail kept of the previous chunk.
 */
export class CommandMarkScanner {
  private tail = '';

  /** How many marks end in this chunk. */
  scan(chunk: Buffer): number {
    const text = this.tail + chunk.toString('latin1');
    let count = 0;
    let from = 0;
    for (;;) {
      const at = text.indexOf(COMMAND_FINISHED_MARK, from);
      if (at < 0) break;
      count += 1;
      from = at + COMMAND_FINISHED_MARK.length;
    }
    const keep = COMMAND_FINISHED_MARK.length - 1;
    this.tail = text.slice(Math.max(from, text.length - keep));
    return count;
  }
}
