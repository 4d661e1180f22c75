import type Database from 'better-sqlite3';

export type SessionStatus = 'pooled' | 'starting' | 'ready' | 'stopped' | 'expired' | 'failed';
export type HolderKind = 'server' | 'grade' | 'test-labs' | 'bench' | 'cli' | 'test';

/** A process that holds sessions, with its heartbeat (see the sandbox library's HolderRecord). */
export interface HolderRow {
  id: string;
  kind: HolderKind;
  pid: number;
  host: string;
  startedAt: string;
  seenAt: string;
  endedAt?: string;
}

interface HolderDbRow {
  id: string;
  kind: HolderKind;
  pid: number;
  host: string;
  started_at: string;
  seen_at: string;
  ended_at: string | null;
}

/** A sandbox session as the store keeps it: enough to find its containers again after a restart. */
export interface SessionRow {
  id: string;
  labId: string;
  ownerId: string;
  image: string;
  status: SessionStatus;
  containers: Record<string, string>;
  volumes: string[];
  /** The limits the session runs under, as the sandbox library resolved them. */
  limits: Record<string, number>;
  createdAt: string;
  expiresAt: string;
  lastActivityAt: string;
  holderId?: string;
  endedAt?: string;
  endReason?: string;
}

interface DbRow {
  id: string;
  lab_id: string;
  owner_id: string;
  image: string;
  status: SessionStatus;
  containers_json: string;
  volumes_json: string;
  limits_json: string;
  created_at: string;
  expires_at: string;
  last_activity_at: string;
  holder_id: string | null;
  ended_at: string | null;
  end_reason: string | null;
}

function fromDb(row: DbRow): SessionRow {
  return {
    id: row.id,
    labId: row.lab_id,
    ownerId: row.owner_id,
    image: row.image,
    status: row.status,
    containers: JSON.parse(row.containers_json) as Record<string, string>,
    volumes: JSON.parse(row.volumes_json) as string[],
    limits: JSON.parse(row.limits_json) as Record<string, number>,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    lastActivityAt: row.last_activity_at,
    ...(row.holder_id ? { holderId: row.holder_id } : {}),
    ...(row.ended_at ? { endedAt: row.ended_at } : {}),
    ...(row.end_reason ? { endReason: row.end_reason } : {}),
  };
}

/** The sessions table. Live sessions are those not ended; ended ones stay as a record. */
export class SessionRepository {
  constructor(private readonly db: Database.Database) {}

  save(session: SessionRow): void {
    this.db
      .prepare(
        `INSERT INTO sessions (id, lab_id, owner_id, image, status, containers_json, volumes_json, limits_json, created_at, expires_at, last_activity_at, holder_id, ended_at, end_reason)
         VALUES (@id, @labId, @ownerId, @image, @status, @containers, @volumes, @limits, @createdAt, @expiresAt, @lastActivityAt, @holderId, @endedAt, @endReason)
         ON CONFLICT (id) DO UPDATE SET lab_id = @labId, owner_id = @ownerId, image = @image, status = @status,
           containers_json = @containers, volumes_json = @volumes, limits_json = @limits, expires_at = @expiresAt,
           last_activity_at = @lastActivityAt, holder_id = @holderId, ended_at = @endedAt, end_reason = @endReason`,
      )
      .run({
        ...session,
        containers: JSON.stringify(session.containers),
        volumes: JSON.stringify(session.volumes),
        limits: JSON.stringify(session.limits),
        holderId: session.holderId ?? null,
        endedAt: session.endedAt ?? null,
        endReason: session.endReason ?? null,
      });
  }

  get(id: string): SessionRow | undefined {
    const row = this.db.prepare('SELECT * FROM sessions WHERE id = ?').get(id) as DbRow | undefined;
    return row ? fromDb(row) : undefined;
  }

  live(): SessionRow[] {
    return (
      this.db.prepare('SELECT * FROM sessions WHERE ended_at IS NULL ORDER BY created_at').all() as DbRow[]
    ).map(fromDb);
  }

  touch(id: string, at: string): void {
    this.db.prepare('UPDATE sessions SET last_activity_at = ? WHERE id = ? AND ended_at IS NULL').run(at, id);
  }

  end(id: string, status: SessionStatus, reason: string, at: string): void {
    this.db
      .prepare(
        'UPDATE sessions SET status = ?, end_reason = ?, ended_at = ? WHERE id = ? AND ended_at IS NULL',
      )
      .run(status, reason, at, id);
  }

  saveHolder(holder: HolderRow): void {
    this.db
      .prepare(
        `INSERT INTO holders (id, kind, pid, host, started_at, seen_at, ended_at)
         VALUES (@id, @kind, @pid, @host, @startedAt, @seenAt, @endedAt)
         ON CONFLICT (id) DO UPDATE SET seen_at = @seenAt, ended_at = @endedAt`,
      )
      .run({ ...holder, endedAt: holder.endedAt ?? null });
  }

  holder(id: string): HolderRow | undefined {
    const row = this.db.prepare('SELECT * FROM holders WHERE id = ?').get(id) as HolderDbRow | undefined;
    if (!row) return undefined;
    return {
      id: row.id,
      kind: row.kind,
      pid: row.pid,
      host: row.host,
      startedAt: row.started_at,
      seenAt: row.seen_at,
      ...(row.ended_at ? { endedAt: row.ended_at } : {}),
    };
  }

  beat(id: string, at: string): void {
    this.db.prepare('UPDATE holders SET seen_at = ? WHERE id = ?').run(at, id);
  }

  /** Marks the holder closed and forgets closed holders that no live session names any more. */
  endHolder(id: string, at: string): void {
    this.db.prepare('UPDATE holders SET ended_at = ? WHERE id = ? AND ended_at IS NULL').run(at, id);
    this.db
      .prepare(
        `DELETE FROM holders WHERE ended_at IS NOT NULL
           AND id NOT IN (SELECT holder_id FROM sessions WHERE ended_at IS NULL AND holder_id IS NOT NULL)`,
      )
      .run();
  }
}
