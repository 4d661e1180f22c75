import type Database from 'better-sqlite3';

export type SessionStatus = 'pooled' | 'starting' | 'ready' | 'stopped' | 'expired' | 'failed';

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
        `INSERT INTO sessions (id, lab_id, owner_id, image, status, containers_json, volumes_json, limits_json, created_at, expires_at, last_activity_at, ended_at, end_reason)
         VALUES (@id, @labId, @ownerId, @image, @status, @containers, @volumes, @limits, @createdAt, @expiresAt, @lastActivityAt, @endedAt, @endReason)
         ON CONFLICT (id) DO UPDATE SET lab_id = @labId, owner_id = @ownerId, image = @image, status = @status,
           containers_json = @containers, volumes_json = @volumes, limits_json = @limits, expires_at = @expiresAt,
           last_activity_at = @lastActivityAt, ended_at = @endedAt, end_reason = @endReason`,
      )
      .run({
        ...session,
        containers: JSON.stringify(session.containers),
        volumes: JSON.stringify(session.volumes),
        limits: JSON.stringify(session.limits),
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
}
