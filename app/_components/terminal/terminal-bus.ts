/**
 * Text for the lab's terminal from elsewhere on the page (a `<Run>` in the lesson). The terminal
 * subscribes while it is connected; what is sent while none listens waits for the next subscriber.
 */
export interface TerminalInput {
  data: string;
  /**
   * Move the keyboard focus into the terminal. A mouse user who clicks <Run> wants to type next; a
   * keyboard user who pressed Enter on it keeps their place in the text and goes on reading.
   */
  focus: boolean;
}

export class TerminalBus {
  private readonly listeners = new Set<(input: TerminalInput) => void>();
  private pending: TerminalInput[] = [];

  send(data: string, options: { focus?: boolean } = {}): void {
    const input = { data, focus: options.focus ?? true };
    if (this.listeners.size === 0) this.pending.push(input);
    for (const listener of this.listeners) listener(input);
  }

  subscribe(listener: (input: TerminalInput) => void): () => void {
    this.listeners.add(listener);
    const waiting = this.pending;
    this.pending = [];
    for (const input of waiting) listener(input);
    return () => this.listeners.delete(listener);
  }
}
