import type { SandboxLimits } from '../limits';

export type SessionStatus = 'pooled' | 'starting' | 'ready' | 'stopped' | 'expired' | 'failed';

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
}

/** A registry in memory, for unit tests and for tools that need no persistence. */
export class MemoryRegistry implements SessionRegistry {
  readonly records = new Map<string, SessionRecord>();
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
}

export function limitsOf(record: SessionRecord): SandboxLimits {
  return record.limits as unknown as SandboxLimits; // written by this library from a SandboxLimits
}
