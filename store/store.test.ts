import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { MIGRATIONS, Store, StoreError } from './index';

const execFileAsync = promisify(execFile);
const dirs: string[] = [];
function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'keiko-store-'));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

describe('Store', () => {
  it('creates the data directory and applies every migration in WAL mode', () => {
    const dir = path.join(tempDir(), 'nested', 'data');
    const store = Store.open(dir);
    expect(store.schemaVersion).toBe(MIGRATIONS.at(-1)?.version);
    expect(store.db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(store.status()).toMatchObject({ ok: true, schemaVersion: MIGRATIONS.at(-1)?.version });
    store.close();
  });

  it('keeps the server secret generated on first run across restarts', () => {
    const dir = tempDir();
    const first = Store.open(dir);
    const secret = first.serverSecret;
    first.close();
    const second = Store.open(dir);
    expect(secret).toHaveLength(32);
    expect(second.serverSecret.equals(secret)).toBe(true);
    second.close();
  });

  it('opens a new store from several processes at once, all with the one secret the first wrote', async () => {
    const dir = tempDir();
    // Each process waits for the same instant before opening, so the opens really overlap.
    const at = Date.now() + 4_000;
    const script = `import { Store } from '${path.join(import.meta.dirname, 'index.ts')}';
      while (Date.now() < ${at});
      const store = Store.open(process.argv[1]); console.log(store.serverSecret.toString('hex')); store.close();`;
    const tsx = path.join(import.meta.dirname, '..', 'node_modules', '.bin', 'tsx');
    const runs = await Promise.all(
      Array.from({ length: 6 }, () => execFileAsync(tsx, ['-e', script, dir]).catch((error: Error) => error)),
    );
    const secrets = runs.map((run) => (run instanceof Error ? run.message : run.stdout.trim()));
    expect(new Set(secrets).size, secrets.join('\n')).toBe(1);
    expect(secrets[0]).toMatch(/^[0-9a-f]{64}$/);
  }, 60_000);

  it('applies only the migrations that are new', () => {
    const dir = tempDir();
    Store.open(dir, MIGRATIONS).close();
    const next = [...MIGRATIONS, { version: 99, name: 'test table', sql: 'CREATE TABLE t (x INTEGER)' }];
    const store = Store.open(dir, next);
    expect(store.schemaVersion).toBe(99);
    store.close();
  });

  it('names the file and says what to do when the database file is garbage', () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'keiko.db'), 'this is not a database, just text '.repeat(200));
    expect(() => Store.open(dir)).toThrow(StoreError);
    expect(() => Store.open(dir)).toThrow(/keiko\.db cannot be used as Keiko's store .*move it aside/);
  });

  it('refuses a store written by a newer Keiko instead of damaging it', () => {
    const dir = tempDir();
    Store.open(dir, [...MIGRATIONS, { version: 50, name: 'future', sql: 'SELECT 1' }]).close();
    expect(() => Store.open(dir)).toThrow(/written by a newer Keiko/);
  });

  it('says so when KEIKO_DATA_DIR is a file', () => {
    const file = path.join(tempDir(), 'not-a-dir');
    fs.writeFileSync(file, '');
    expect(() => Store.open(file)).toThrow(/is a file, not a folder/);
  });
});
