// The proxy ships as one file run by Debian's Node 18 with no node_modules: it may use Node's
// built-in modules and its own files only. This keeps a stray npm import from breaking the image.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const dir = import.meta.dirname;

describe('proxy/ dependencies', () => {
  const sources = fs.readdirSync(dir).filter((file) => file.endsWith('.ts') && !file.endsWith('.test.ts'));

  it.each(sources)('%s imports only node:* built-ins and files of proxy/', (file) => {
    const text = fs.readFileSync(path.join(dir, file), 'utf8');
    const specifiers = [...text.matchAll(/\bfrom\s+'([^']+)'|\bimport\(\s*'([^']+)'\s*\)/g)].map(
      (m) => m[1] ?? m[2],
    );
    const foreign = specifiers.filter((s) => !s?.startsWith('node:') && !/^\.\/[\w-]+$/.test(s ?? ''));
    expect(foreign).toEqual([]);
  });
});
