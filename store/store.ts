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
const INSTANCE_KEY = 'instance_id';
/** The data directory holds the server secret: only its owner may enter it or read its files. */
export const DATA_DIR_MODE = 0o700;
export const DATA_FILE_MODE = 0o600;

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
      // Made owner-only before SQLite opens it; SQLite gives its -wal and -shm files the same mode.
      fs.closeSync(fs.openSync(file, 'a', DATA_FILE_MODE));
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
      store.ensureInstanceId();
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

  /**
   * This installation's id, made once per data directory: it labels every sandbox the installation
   * makes, so two data directories on one engine never reap each other's.
   */
  get instanceId(): string {
    const row = this.db.prepare('SELECT value FROM meta WHERE key = ?').get(INSTANCE_KEY) as
      { value: string } | undefined;
    if (!row) throw new StoreError(`${this.file}: the instance id is missing; the store was not opened`);
    return row.value;
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

  private ensureInstanceId(): void {
    this.db
      .prepare('INSERT OR IGNORE INTO meta (key, value) VALUES (?, ?)')
      .run(INSTANCE_KEY, `k-${randomBytes(6).toString('hex')}`);
  }

  private ensureSecret(): void {
    // Two processes may open a new store at once (a server and `keiko test-labs`): the first secret
    // written is the one, and both read it back.
    this.db
      .prepare('INSERT OR IGNORE INTO meta (key, value) VALUES (?, ?)')
      .run(SECRET_KEY, randomBytes(SECRET_BYTES).toString('base64'));
    const stored = this.db.prepare('SELECT value FROM meta WHERE key = ?').get(SECRET_KEY) as {
      value: string;
    };
    if (Buffer.from(stored.value, 'base64').length !== SECRET_BYTES) {
      throw new StoreError(
        `${this.file}: the stored server secret is damaged (expected ${SECRET_BYTES} bytes). ` +
          'Restore the data directory from a backup, or move it aside to start afresh.',
      );
    }
  }
}

function ensureDataDir(dataDir: string): void {
  if (fs.existsSync(dataDir) && !fs.statSync(dataDir).isDirectory()) {
    throw new StoreError(`KEIKO_DATA_DIR=${dataDir} is a file, not a folder. Point it at a folder.`);
  }
  try {
    fs.mkdirSync(dataDir, { recursive: true, mode: DATA_DIR_MODE });
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

/** What is readable by others in the data directory (for `keiko doctor`): each with the fix. */
export function dataDirExposure(dataDir: string): string[] {
  const problems: string[] = [];
  const open = (file: string, allowed: number) => {
    try {
      const mode = fs.statSync(file).mode & 0o777;
      if (mode & ~allowed)
        problems.push(`${file} has mode ${mode.toString(8)}; run chmod ${allowed.toString(8)} ${file}`);
    } catch {
      // absent: nothing exposed
    }
  };
  open(dataDir, DATA_DIR_MODE);
  for (const suffix of ['', '-wal', '-shm'])
    open(path.join(dataDir, DATABASE_FILE_NAME + suffix), DATA_FILE_MODE);
  return problems;
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
