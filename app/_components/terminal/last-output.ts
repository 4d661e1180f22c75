/** One row of the terminal's buffer, as xterm.js gives it (IBufferLine). */
export interface TerminalRow {
  text: string;
  /** The row continues the one above it (a long line wrapped at the terminal's width). */
  wrapped: boolean;
}

/**
 * The output of the last command, for a screen reader: the rows after the command's own row up to
 * the cursor, wrapped rows joined back into their lines, and the shell's new prompt taken off the
 * end (it may follow output that had no final newline, as `curl` often leaves). `prompt` is the
 * text that stood before the cursor when the learner began typing that command.
 */
export function lastOutput(
  rowsAfterCommand: readonly TerminalRow[],
  prompt: string,
  commandRow = '',
): string {
  const lines: string[] = [];
  for (const row of rowsAfterCommand) {
    if (row.wrapped && lines.length > 0) lines[lines.length - 1] += row.text;
    else lines.push(row.text);
  }
  const last = lines.at(-1)?.trimEnd();
  const shellPrompt = prompt.trimEnd() || (last === undefined ? '' : promptOf(last, commandRow));
  if (last !== undefined && shellPrompt && last.endsWith(shellPrompt)) {
    const before = last.slice(0, last.length - shellPrompt.length);
    if (before) lines[lines.length - 1] = before;
    else lines.pop();
  }
  return lines
    .map((line) => line.trimEnd())
    .join('\n')
    .replace(/\n+$/, '');
}

/** The longest end of `last` (4 characters or more) that `commandRow` starts with: the repeated prompt. */
function promptOf(last: string, commandRow: string): string {
  for (let start = 0; start <= last.length - 4; start++) {
    const candidate = last.slice(start);
    if (commandRow.startsWith(candidate)) return candidate;
  }
  return '';
}
