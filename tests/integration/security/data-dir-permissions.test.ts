// Attack: another user of the host reads the server secret (which signs every learner's cookie and
// session token) or the database, because the data folder was made with the default umask.
// Defence: the data folder is created 0700 and the database file 0600 (SQLite gives its -wal and
// -shm files the same mode); `keiko doctor` warns, with the chmod that fixes it, when they are not.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DATABASE_FILE_NAME, Store } from '@/store';
import { runNode } from '../../support/cli';
import { tempDir } from '../../support/temp';

describe('the data directory', () => {
  it('is created owner-only, and so are the database and its journal files', () => {
    const parent = tempDir('data-perms');
    const dataDir = path.join(parent.dir, 'data');
    const store = Store.open(dataDir);
    store.sessions.live(); // touch the database so the WAL files exist
    expect(fs.statSync(dataDir).mode & 0o777).toBe(0o700);
    for (const suffix of ['', '-wal', '-shm']) {
      const file = path.join(dataDir, DATABASE_FILE_NAME + suffix);
      if (fs.existsSync(file)) expect(fs.statSync(file).mode & 0o777, file).toBe(0o600);
    }
    store.close();
    parent.remove();
  });

  it('keiko doctor warns when the folder or the database is readable by others', async () => {
    const data = tempDir('data-perms-doctor');
    Store.open(data.dir).close();
    fs.chmodSync(data.dir, 0o755);
    fs.chmodSync(path.join(data.dir, DATABASE_FILE_NAME), 0o644);
    const result = await runNode(['doctor'], { env: { KEIKO_DATA_DIR: data.dir } });
    expect(result.stdout).toMatch(new RegExp(`readable by others: ${data.dir} has mode 755; run chmod 700`));
    expect(result.stdout).toMatch(/keiko\.db has mode 644; run chmod 600/);
    data.remove();
  });
});
