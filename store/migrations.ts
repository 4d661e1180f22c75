/**
 * Numbered, append-only schema migrations. Never edit one that has shipped: add the next number.
 * Each runs inside a transaction together with the row that records it.
 */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'meta and learners',
    sql: `
      CREATE TABLE meta (
        key   TEXT PRIMARY KEY,
        value TEXT NOT NULL
      );
      CREATE TABLE learners (
        id         TEXT PRIMARY KEY,
        created_at TEXT NOT NULL
      );
    `,
  },
  {
    version: 2,
    name: 'sandbox sessions',
    sql: `
      CREATE TABLE sessions (
        id               TEXT PRIMARY KEY,
        lab_id           TEXT NOT NULL,
        owner_id         TEXT NOT NULL,
        image            TEXT NOT NULL,
        status           TEXT NOT NULL,
        containers_json  TEXT NOT NULL,
        volumes_json     TEXT NOT NULL,
        limits_json      TEXT NOT NULL,
        created_at       TEXT NOT NULL,
        expires_at       TEXT NOT NULL,
        last_activity_at TEXT NOT NULL,
        ended_at         TEXT,
        end_reason       TEXT
      );
      CREATE INDEX sessions_live ON sessions (status) WHERE ended_at IS NULL;
      CREATE INDEX sessions_owner ON sessions (owner_id, lab_id);
    `,
  },
  {
    version: 3,
    name: 'check attempts and step progress',
    sql: `
      CREATE TABLE attempts (
        id           INTEGER PRIMARY KEY AUTOINCREMENT,
        learner_id   TEXT NOT NULL,
        lab_id       TEXT NOT NULL,
        step_id      TEXT NOT NULL,
        session_id   TEXT NOT NULL,
        passed       INTEGER NOT NULL,
        result_json  TEXT NOT NULL,
        created_at   TEXT NOT NULL
      );
      CREATE INDEX attempts_progress ON attempts (learner_id, lab_id, step_id);
    `,
  },
  {
    version: 4,
    name: 'session holders',
    sql: `
      CREATE TABLE holders (
        id         TEXT PRIMARY KEY,
        kind       TEXT NOT NULL,
        pid        INTEGER NOT NULL,
        host       TEXT NOT NULL,
        started_at TEXT NOT NULL,
        seen_at    TEXT NOT NULL,
        ended_at   TEXT
      );
      ALTER TABLE sessions ADD COLUMN holder_id TEXT;
    `,
  },
];
