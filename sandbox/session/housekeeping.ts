import { describeError } from '../errors';
import type { ContainerRuntime } from '../runtime/runtime';
import type { HolderPresence } from './holder-presence';
import { DEFAULT_INSTANCE, instanceOf, LABELS } from './labels';
import type { HolderKind, SessionRecord, SessionRegistry, SessionStatus } from './registry';

/** A live session as housekeeping sees it: its record and when it ends. */
export interface LiveSessionTimes {
  record: SessionRecord;
  /** Its probe container is still starting in the background: not running yet is not gone. */
  probeStarting: boolean;
  expiresAt: Date;
  idleExpiresAt: Date;
  idleTimeoutMs: number;
}

/** What housekeeping needs of the session manager that owns the live sessions. */
export interface HousekeepingHost {
  readonly runtime: ContainerRuntime;
  readonly registry: SessionRegistry;
  readonly instance: string;
  readonly holderKind: HolderKind;
  readonly presence: HolderPresence;
  readonly now: () => Date;
  readonly orphanGraceMs: number;
  liveSessions(): LiveSessionTimes[];
  /** This process holds the session, live or in its warm pool. */
  holds(id: string): boolean;
  /** Takes a session a dead server left running into this process's live sessions. */
  takeOver(record: SessionRecord): void;
  /** Drops a session from the live ones without ending it (its objects are removed by the caller). */
  forget(id: string): void;
  end(id: string, status: SessionStatus, reason: string): Promise<void>;
  destroy(record: SessionRecord): Promise<void>;
}

/**
 * The session manager's periodic work: ending sessions past their time or whose containers vanished
 * (sweep), dealing with what processes that are gone left (recover), and removing objects no session
 * owns (reap). Kept apart from starting and using sessions, and read alone.
 */
export class Housekeeping {
  private sweeper: NodeJS.Timeout | undefined;

  constructor(private readonly host: HousekeepingHost) {}

  /**
   * Ends sessions past their lifetime or idle timeout, and those whose containers vanished behind
   * the platform's back. Returns the ids it ended.
   */
  async sweep(): Promise<string[]> {
    const now = this.host.now().getTime();
    const ended: string[] = [];
    const live = this.host.liveSessions();
    if (live.length > 0) {
      const { containers } = await this.host.runtime.listLabelled(LABELS.session);
      const running = new Set(containers.filter((c) => c.running).map((c) => c.id));
      for (const { record, probeStarting } of live) {
        const roles = probeStarting ? (['lab'] as const) : (['lab', 'probe'] as const);
        const lost = roles.find((role) => !running.has(record.containers[role] ?? ''));
        if (!lost) continue;
        await this.host.end(
          record.id,
          'failed',
          `the sandbox stopped: its ${lost} container is gone or stopped`,
        );
        ended.push(record.id);
      }
    }
    for (const session of this.host.liveSessions()) {
      if (now >= session.expiresAt.getTime()) {
        await this.host.end(session.record.id, 'expired', 'reached its maximum lifetime');
        ended.push(session.record.id);
      } else if (now >= session.idleExpiresAt.getTime()) {
        await this.host.end(
          session.record.id,
          'expired',
          `idle for ${Math.round(session.idleTimeoutMs / 60_000)} min`,
        );
        ended.push(session.record.id);
      }
    }
    return ended;
  }

  /**
   * Deals with the sessions of the shared registry that no live process holds: a server adopts the
   * ones a dead server left running; the rest are ended once their holder has been gone for the
   * grace period. Sessions another live process holds (a CLI run, another server on the same data
   * directory) are never touched. Then reaps what no session owns.
   */
  async recover(): Promise<{ adopted: string[]; ended: string[]; reaped: number }> {
    const { registry, presence, runtime } = this.host;
    presence.claim();
    const adopted: string[] = [];
    const ended: string[] = [];
    const now = this.host.now().getTime();
    const isServer = this.host.holderKind === 'server';
    for (const record of registry.live()) {
      if (this.host.holds(record.id) || record.holderId === presence.id) continue;
      const holder = record.holderId ? registry.holder(record.holderId) : undefined;
      if (record.holderId && !presence.isGone(holder)) continue;
      const adoptable =
        isServer &&
        (holder === undefined || holder.kind === 'server') &&
        record.status === 'ready' &&
        Date.parse(record.expiresAt) > now;
      if (adoptable) {
        // Both containers: a server killed while the probe started in the background left a ready
        // session without a running probe, which no grading could use.
        const [lab, probe] = await Promise.all(
          [record.containers.lab, record.containers.probe].map((id) =>
            id ? runtime.inspectContainer(id) : undefined,
          ),
        );
        if (lab?.running && probe?.running) {
          this.host.takeOver(record);
          adopted.push(record.id);
          continue;
        }
      }
      // A server's sessions wait for the next server, which adopts or ends them; nothing else may.
      if (!isServer && (holder === undefined || holder.kind === 'server')) continue;
      if (holder && now - Date.parse(holder.seenAt) < this.host.orphanGraceMs) continue;
      await this.host.destroy(record);
      registry.end(
        record.id,
        record.status === 'pooled' ? 'stopped' : 'failed',
        `left by a ${holder?.kind ?? 'previous'} process that is gone`,
        this.host.now().toISOString(),
      );
      ended.push(record.id);
    }
    const reaped = await this.reap();
    return { adopted, ended, reaped };
  }

  /** Ends every live session of the registry, whoever holds it, then reaps (`keiko sessions stop --all`). */
  async stopAll(reason: string): Promise<{ stopped: number; reaped: number }> {
    const records = this.host.registry.live();
    for (const record of records) {
      this.host.forget(record.id);
      await this.host.destroy(record);
      this.host.registry.end(record.id, 'stopped', reason, this.host.now().toISOString());
    }
    return { stopped: records.length, reaped: await this.reap() };
  }

  /**
   * Removes this installation's labelled containers and volumes that no session owns: those whose
   * session the registry says has ended, and those it never knew once they are older than the grace
   * period. Objects of another instance are never touched; objects labelled by versions before
   * instances (`default`) are this installation's when its registry knows their session.
   */
  async reap(): Promise<number> {
    const { runtime, registry } = this.host;
    const all = await runtime.listLabelled(LABELS.session);
    const now = this.host.now().getTime();
    const doomed = (object: { labels: Record<string, string>; createdAt: Date }): boolean => {
      const sessionId = object.labels[LABELS.session];
      const record = sessionId ? registry.get(sessionId) : undefined;
      const instance = instanceOf(object.labels);
      if (instance !== this.host.instance && !(instance === DEFAULT_INSTANCE && record)) return false;
      if (sessionId && this.host.holds(sessionId)) return false;
      if (record) return record.endedAt !== undefined;
      return now - object.createdAt.getTime() >= this.host.orphanGraceMs;
    };
    const containers = all.containers.filter(doomed);
    await Promise.all(containers.map((container) => runtime.removeContainer(container.id)));
    const volumes = all.volumes.filter(doomed);
    await Promise.all(volumes.map((volume) => runtime.removeVolume(volume.name)));
    return containers.length + volumes.length;
  }

  /** Sweeps and recovers every interval until `stop`. */
  start(intervalMs: number): void {
    this.sweeper ??= setInterval(() => {
      void this.sweep()
        .then(() => this.recover())
        .catch((error: unknown) => console.error(`keiko: sandbox sweep failed: ${describeError(error)}`));
    }, intervalMs);
    this.sweeper.unref();
  }

  stop(): void {
    if (this.sweeper) clearInterval(this.sweeper);
    this.sweeper = undefined;
  }
}
