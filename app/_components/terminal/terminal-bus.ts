/**
 * Text for the lab's terminal from elsewhere on the page (a `<Run>` in the lesson). The terminal
 * subscribes while it is connected; what is sent while none listens waits for the next subscriber.
 */
export class TerminalBus {
  private readonly listeners = new Set<(data: string) => void>();
  private pending: string[] = [];

  send(data: string): void {
    if (this.listeners.size === 0) this.pending.push(data);
    for (const listener of this.listeners) listener(data);
  }

  subscribe(listener: (data: string) => void): () => void {
    this.listeners.add(listener);
    const waiting = this.pending;
    this.pending = [];
    for (const data of waiting) listener(data);
    return () => this.listeners.delete(listener);
  }
}
