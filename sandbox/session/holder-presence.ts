import { randomBytes } from 'node:crypto';
import os from 'node:os';
import { describeError } from '../errors';
import type { HolderKind, HolderRecord, SessionRegistry } from './registry';

/**
 * This process as a holder of sessions in the shared registry: written on the first session it makes
 * or adopts, kept fresh by a heartbeat while it lives, marked ended when it closes. Also decides
 * whether another holder is gone.
 */
export class HolderPresence {
  readonly record: HolderRecord;
  private claimed = false;
  private heartbeat: NodeJS.Timeout | undefined;

  constructor(
    private readonly registry: SessionRegistry,
    kind: HolderKind,
    private readonly now: () => Date,
    private readonly graceMs: number,
  ) {
    const at = now().toISOString();
    this.record = {
      id: `h_${randomBytes(9).toString('base64url')}`,
      kind,
      pid: process.pid,
      host: os.hostname(),
      startedAt: at,
      seenAt: at,
    };
  }

  get id(): string {
    return this.record.id;
  }

  /** Writes this process into the registry and keeps its heartbeat fresh while it lives. */
  claim(): void {
    if (this.claimed) return;
    this.claimed = true;
    this.record.seenAt = this.now().toISOString();
    delete this.record.endedAt;
    this.registry.saveHolder(this.record);
    this.heartbeat = setInterval(
      () => {
        try {
          this.registry.beat(this.record.id, this.now().toISOString());
        } catch (error) {
          console.error(`keiko: heartbeat failed: ${describeError(error)}`);
        }
      },
      Math.max(100, Math.floor(this.graceMs / 4)),
    );
    this.heartbeat.unref();
  }

  /** Stops the heartbeat and tells the registry this process is gone. */
  close(): void {
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.heartbeat = undefined;
    if (this.claimed) this.registry.endHolder(this.record.id, this.now().toISOString());
    this.claimed = false;
  }

  /**
   * True when the holder closed, or its process is dead: on this host the kernel says so (a slow
   * process is not a dead one); on another host, its heartbeat has been missing for the grace period.
   */
  isGone(holder: HolderRecord | undefined): boolean {
    if (!holder || holder.endedAt) return true;
    if (holder.id === this.record.id) return false;
    if (holder.host === this.record.host) return !processAlive(holder.pid);
    return this.now().getTime() - Date.parse(holder.seenAt) >= this.graceMs;
  }
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'; // alive, but not ours to signal
  }
}
