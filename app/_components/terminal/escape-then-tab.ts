/** The parts of a KeyboardEvent the rule reads (xterm.js hands its key handler real ones). */
export type KeyEventLike = Pick<KeyboardEvent, 'type' | 'key' | 'ctrlKey' | 'altKey' | 'metaKey'>;

/** How long an Escape waits for a Tab that takes the focus out of the terminal. */
export const ESCAPE_WINDOW_MS = 600;

/**
 * Escape then Tab (or Shift+Tab) leaves the terminal, which otherwise keeps Tab for the shell's
 * completion. The Escape is held back for a moment: dropped if a Tab follows (the browser then moves
 * the focus), sent at once ahead of any other key, or sent alone when the moment passes, so vi and
 * readline still see exactly what was typed.
 *
 * The returned function takes every key event xterm.js sees and answers true for those the terminal
 * must not handle itself.
 */
export function escapeThenTab(sendEscape: () => void, windowMs = ESCAPE_WINDOW_MS) {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const flush = () => {
    if (timer === undefined) return;
    clearTimeout(timer);
    timer = undefined;
    sendEscape();
  };
  const keep = (event: KeyEventLike): boolean => {
    const plain = !event.ctrlKey && !event.altKey && !event.metaKey;
    if (event.key === 'Escape' && plain) {
      if (event.type === 'keydown') {
        flush(); // a second Escape sends the first
        timer = setTimeout(flush, windowMs);
      }
      return true;
    }
    if (event.type !== 'keydown' || timer === undefined) return false;
    if (event.key === 'Tab' && plain) {
      clearTimeout(timer);
      timer = undefined;
      return true;
    }
    if (!['Shift', 'Control', 'Alt', 'Meta'].includes(event.key)) flush();
    return false;
  };
  return Object.assign(keep, { dispose: () => clearTimeout(timer) });
}
