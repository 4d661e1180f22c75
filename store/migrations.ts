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
];
