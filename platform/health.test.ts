import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { MemoryRuntime, type EngineInfo } from '@/sandbox';
import { Store } from '@/store';
import { parseEnv } from './env';
import { healthReport } from './health';
import { projectPaths, type Platform } from './platform';

class UnreachableRuntime extends MemoryRuntime {
  override async engineInfo(): Promise<EngineInfo> {
    return { reachable: false, error: 'connect ENOENT /nowhere.sock', endpoint: 'unix:///nowhere.sock' };
  }
}

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((cleanup) => cleanup()));

function platformWith(runtime: MemoryRuntime): Pick<Platform, 'runtime' | 'store' | 'paths'> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'keiko-health-'));
  fs.mkdirSync(path.join(root, 'labs', 'images', 'bottle'), { recursive: true });
  fs.writeFileSync(path.join(root, 'labs', 'images', 'bottle', 'Dockerfile'), 'FROM debian:bookworm\n');
  const env = parseEnv({ KEIKO_DATA_DIR: path.join(root, 'data') });
  const store = Store.open(env.dataDir);
  cleanups.push(() => {
    store.close();
    fs.rmSync(root, { recursive: true, force: true });
  });
  return { paths: projectPaths(root, env), store, runtime };
}

describe('healthReport', () => {
  it('is not ok, with a fix, when the engine is unreachable', async () => {
    const health = await healthReport(platformWith(new UnreachableRuntime()));
    expect(health.ok).toBe(false);
    expect(health.docker).toEqual({ reachable: false, version: null, endpoint: 'unix:///nowhere.sock' });
    expect(health.problems).toContainEqual({
      what: expect.stringContaining('not reachable: connect ENOENT'),
      fix: 'npm run up',
    });
  });

  it('is not ok while an image is missing, and names the command that builds it', async () => {
    const health = await healthReport(platformWith(new MemoryRuntime()));
    expect(health.ok).toBe(false);
    expect(health.images).toEqual([
      { name: 'debian:bookworm', built: false, current: false },
      { name: 'keiko/bottle:latest', built: false, current: false },
    ]);
    expect(health.problems.map((problem) => problem.fix)).toEqual([
      'npx keiko images build',
      'npx keiko images build',
    ]);
  });
});
