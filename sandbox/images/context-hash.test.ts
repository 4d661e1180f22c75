import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { contextHash, listContextFiles } from './context-hash';

function context(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'keiko-ctx-'));
  fs.writeFileSync(path.join(dir, 'Dockerfile'), 'FROM debian:bookworm\n');
  fs.mkdirSync(path.join(dir, 'files'));
  fs.writeFileSync(path.join(dir, 'files', 'run.sh'), 'echo hi\n');
  return dir;
}

describe('contextHash', () => {
  it('lists files recursively in a stable order', () => {
    expect(listContextFiles(context())).toEqual(['Dockerfile', 'files/run.sh']);
  });

  it('is the same for the same files and parents', () => {
    const dir = context();
    const files = listContextFiles(dir);
    expect(contextHash(dir, files, ['sha256:a'])).toBe(contextHash(dir, files, ['sha256:a']));
  });

  it('changes when a file, its executable bit, or a parent image changes', () => {
    const dir = context();
    const files = listContextFiles(dir);
    const before = contextHash(dir, files, ['sha256:a']);
    expect(contextHash(dir, files, ['sha256:b'])).not.toBe(before);
    fs.chmodSync(path.join(dir, 'files', 'run.sh'), 0o755);
    const executable = contextHash(dir, files, ['sha256:a']);
    expect(executable).not.toBe(before);
    fs.writeFileSync(path.join(dir, 'files', 'run.sh'), 'echo bye\n');
    expect(contextHash(dir, files, ['sha256:a'])).not.toBe(executable);
  });
});
