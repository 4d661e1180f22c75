import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { memoizeByFiles } from './file-memo';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'keiko-memo-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('memoizeByFiles', () => {
  it('computes once while the files are unchanged, again when one changes, appears or goes', () => {
    const a = path.join(dir, 'a.yaml');
    const b = path.join(dir, 'b.yaml');
    fs.writeFileSync(a, 'one');
    let computed = 0;
    const read = () => memoizeByFiles('test', [a, b], () => (computed += 1));
    read();
    read();
    expect(computed).toBe(1);
    fs.writeFileSync(a, 'one, longer');
    read();
    expect(computed).toBe(2);
    fs.writeFileSync(b, 'new');
    read();
    expect(computed).toBe(3);
    fs.rmSync(b);
    read();
    expect(computed).toBe(4);
  });
});
