import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { StoreError } from './errors';
import { MIGRATIONS, type Migration } from './migrations';
import { ProgressRepository } from './progress';
import { SessionRepository } from './sessions';

export const DATABASE_FILE_NAME = 'keiko.db';
const SECRET_KEY = 'server_secret';
const SECRET_BYTES = 32;

export interface StoreStatus {
  ok: boolean;
  path: string;
  schemaVersion: number;
  error?: string;
}

/** The embedded store: one SQLite file in WAL mode inside the data directory. */
export class Store {
  private constructor(
    readonly db: Database.Database,
    readonly file: string,
  ) {}

  static open(dataDir: string, migrations: readonly Migration[] = MIGRATIONS): Store {
    ensureDataDir(dataDir);
    const file = path.join(dataDir, DATABASE_FILE_NAME);
    let db: Database.Database;
    try {
      db = new Database(file);
      db.pragma('journal_mode = WAL');
      db.pragma('foreign_keys = ON');
      db.pragma('busy_timeout = 5000');
    } catch (error) {
      throw corrupt(file, error);
    }
    const store = new Store(db, file);
    try {
      store.migrate(migrations);
      store.ensureSecret();
    } catch (error) {
      db.close();
      throw error instanceof StoreError ? error : corrupt(file, error);
    }
    return store;
  }

  get schemaVersion(): number {
    const row = this.db.prepare('SELECT MAX(version) AS v FROM schema_migrations').get() as {
      v: number | null;
    };
    return row.v ?? 0;
  }

  /** The per-installation secret that signs learner cookies and session tokens. */
  get serverSecret(): Buffer {
    const row = this.db.prepare('SELECT value FROM meta WHERE key = ?').get(SECRET_KEY) as
      { value: string } | undefined;
    if (!row) throw new StoreError(`${this.file}: the server secret is missing; the store was not opened`);
    return Buffer.from(row.value, 'base64');
  }

  get sessions(): SessionRepository {
    return new SessionRepository(this.db);
  }

  get progress(): ProgressRepository {
    return new ProgressRepository(this.db);
  }

  /** Proves the file is writable now, not only when it was opened. */
  status(): StoreStatus {
    try {
      this.db
        .prepare("INSERT OR REPLACE INTO meta (key, value) VALUES ('last_health_check', ?)")
        .run(new Date().toISOString());
      return { ok: true, path: this.file, schemaVersion: this.schemaVersion };
    } catch (error) {
      return { ok: false, path: this.file, schemaVersion: 0, error: describe(error) };
    }
  }

  close(): void {
    if (this.db.open) this.db.close();
  }

  private migrate(migrations: readonly Migration[]): void {
    this.db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version    INTEGER PRIMARY KEY,
      name       TEXT NOT NULL,
      applied_at TEXT NOT NULL
    )`);
    const current = this.schemaVersion;
    const newest = migrations.at(-1)?.version ?? 0;
    if (current > newest) {
      throw new StoreError(
        `${this.file} has schema version ${current}, but this Keiko knows only up to ${newest}: ` +
          'it was written by a newer Keiko. Upgrade Keiko, or point KEIKO_DATA_DIR at another folder.',
      );
    }
    const record = this.db.prepare(
      'INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)',
    );
    for (const migration of migrations) {
      if (migration.version <= current) continue;
      this.db.transaction(() => {
        this.db.exec(migration.sql);
        record.run(migration.version, migration.name, new Date().toISOString());
      })();
    }
  }

  private ensureSecret(): void {
    const existing = this.db.prepare('SELECT value FROM meta WHERE key = ?').get(SECRET_KEY) as
      { value: string } | undefined;
    if (existing) {
      if (Buffer.from(existing.value, 'base64').length !== SECRET_BYTES) {
        throw new StoreError(
          `${this.file}: the stored server secret is damaged (expected ${SECRET_BYTES} bytes). ` +
            'Restore the data directory from a backup, or move it aside to start afresh.',
        );
      }
      return;
    }
    this.db
      .prepare('INSERT INTO meta (key, value) VALUES (?, ?)')
      .run(SECRET_KEY, randomBytes(SECRET_BYTES).toString('base64'));
  }
}

function ensureDataDir(dataDir: string): void {
  if (fs.existsSync(dataDir) && !fs.statSync(dataDir).isDirectory()) {
    throw new StoreError(`KEIKO_DATA_DIR=${dataDir} is a file, not a folder. Point it at a folder.`);
  }
  try {
    fs.mkdirSync(dataDir, { recursive: true });
  } catch (error) {
    throw new StoreError(
      `cannot create the data directory ${dataDir} (${describe(error)}). ` +
        'Set KEIKO_DATA_DIR to a folder Keiko may write.',
    );
  }
  try {
    fs.accessSync(dataDir, fs.constants.W_OK);
  } catch {
    throw new StoreError(
      `the data directory ${dataDir} is not writable. Fix its permissions or set KEIKO_DATA_DIR.`,
    );
  }
}

function corrupt(file: string, error: unknown): StoreError {
  return new StoreError(
    `${file} cannot be used as Keiko's store (${describe(error)}). ` +
      `Restore it from a backup, or move it aside (mv ${file} ${file}.broken) to start with an empty store.`,
  );
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
