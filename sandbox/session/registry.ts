import type { SandboxLimits } from '../limits';

export type SessionStatus = 'pooled' | 'starting' | 'ready' | 'stopped' | 'expired' | 'failed';

/** Which kind of Keiko process started a session: `keiko sessions list` shows it. */
export const HOLDER_KINDS = ['server', 'grade', 'test-labs', 'bench', 'cli', 'test'] as const;
export type HolderKind = (typeof HOLDER_KINDS)[number];

/**
 * A process that holds sessions. Processes sharing a data directory share its registry, so each can
 * tell whether another still holds a session: it does while its heartbeat is fresh and, on the same
 * host, its pid is alive. Only sessions whose holder is gone are adopted or reaped.
 */
export interface HolderRecord {
  id: string;
  kind: HolderKind;
  pid: number;
  host: string;
  startedAt: string;
  /** The holder's last heartbeat. */
  seenAt: string;
  /** Set when the holder closed cleanly: its sessions may be adopted at once. */
  endedAt?: string;
}

/** What the sandbox library writes down about a session so a restarted server can find it again. */
export interface SessionRecord {
  id: string;
  labId: string;
  ownerId: string;
  image: string;
  status: SessionStatus;
  containers: Record<string, string>;
  volumes: string[];
  limits: Record<string, number>;
  createdAt: string;
  expiresAt: string;
  lastActivityAt: string;
  /** The process holding it (see HolderRecord); absent on records written before holders existed. */
  holderId?: string;
  endedAt?: string;
  endReason?: string;
}

/** Where session records live. The platform passes the store's session repository. */
export interface SessionRegistry {
  save(record: SessionRecord): void;
  get(id: string): SessionRecord | undefined;
  live(): SessionRecord[];
  touch(id: string, at: string): void;
  end(id: string, status: SessionStatus, reason: string, at: string): void;
  saveHolder(holder: HolderRecord): void;
  holder(id: string): HolderRecord | undefined;
  /** Records the holder's heartbeat. */
  beat(id: string, at: string): void;
  endHolder(id: string, at: string): void;
}

/** A registry in memory, for unit tests and for tools that need no persistence. */
export class MemoryRegistry implements SessionRegistry {
  readonly records = new Map<string, SessionRecord>();
  readonly holders = new Map<string, HolderRecord>();
  save(record: SessionRecord): void {
    this.records.set(record.id, { ...record });
  }
  get(id: string): SessionRecord | undefined {
    return this.records.get(id);
  }
  live(): SessionRecord[] {
    return [...this.records.values()].filter((record) => !record.endedAt);
  }
  touch(id: string, at: string): void {
    const record = this.records.get(id);
    if (record && !record.endedAt) record.lastActivityAt = at;
  }
  end(id: string, status: SessionStatus, reason: string, at: string): void {
    const record = this.records.get(id);
    if (record && !record.endedAt) Object.assign(record, { status, endReason: reason, endedAt: at });
  }
  saveHolder(holder: HolderRecord): void {
    this.holders.set(holder.id, { ...holder });
  }
  holder(id: string): HolderRecord | undefined {
    return this.holders.get(id);
  }
  beat(id: string, at: string): void {
    const holder = this.holders.get(id);
    if (holder) holder.seenAt = at;
  }
  endHolder(id: string, at: string): void {
    const holder = this.holders.get(id);
    if (holder && !holder.endedAt) holder.endedAt = at;
  }
}

export function limitsOf(record: SessionRecord): SandboxLimits {
  return record.limits as unknown as SandboxLimits; // written by this library from a SandboxLimits
}
