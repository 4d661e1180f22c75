// Bad input at start-up gets one clear sentence and a non-zero exit, never a bare stack trace:
// a port already in use, a corrupt data directory, a missing Docker engine, a wrong variable.
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { hasStackTrace, PROJECT_ROOT, runNode } from '../../support/cli';
import { freePort } from '../../support/server';
import { tempDir } from '../../support/temp';

const data = tempDir('startup');
const NO_ENGINE = { DOCKER_HOST: 'unix:///tmp/keiko-no-engine-here.sock' };
afterAll(() => data.remove());

function expectOneClearError(result: { code: number | null; stderr: string }, pattern: RegExp): void {
  expect(result.code).not.toBe(0);
  expect(result.code).not.toBeNull();
  expect(result.stderr).toMatch(pattern);
  expect(hasStackTrace(result.stderr)).toBe(false);
}

describe('start-up errors', () => {
  it('serve names the port when it is already in use', async () => {
    const port = await freePort();
    const blocker = net.createServer().listen(port, '127.0.0.1');
    await new Promise((resolve) => blocker.once('listening', resolve));
    try {
      const result = await runNode(['serve'], {
        env: { KEIKO_PORT: String(port), KEIKO_DATA_DIR: data.dir },
      });
      expectOneClearError(
        result,
        new RegExp(`port ${port} on 127\\.0\\.0\\.1 is already in use.*KEIKO_PORT`),
      );
    } finally {
      blocker.close();
    }
  });

  it('doctor and serve name the damaged database file and say how to recover', async () => {
    const corrupt = path.join(data.dir, 'corrupt');
    fs.mkdirSync(corrupt);
    fs.writeFileSync(path.join(corrupt, 'keiko.db'), Buffer.alloc(8192, 0x5a));
    for (const command of [['doctor'], ['serve']]) {
      const result = await runNode(command, { env: { KEIKO_DATA_DIR: corrupt } });
      expectOneClearError(result, /keiko\.db cannot be used as Keiko's store .*mv .*keiko\.db\.broken/);
    }
  });

  it('doctor, images build and serve say how to start a missing Docker engine', async () => {
    const doctor = await runNode(['doctor'], { env: { ...NO_ENGINE, KEIKO_DATA_DIR: data.dir } });
    expect(doctor.code).toBe(1);
    expect(doctor.stdout).toMatch(
      /FAIL\s+Docker engine not reachable at unix:\/\/\/tmp\/keiko-no-engine-here\.sock/,
    );
    expect(doctor.stdout).toMatch(/run: npm run up/);

    const build = await runNode(['images', 'build'], { env: { ...NO_ENGINE, KEIKO_DATA_DIR: data.dir } });
    expectOneClearError(
      build,
      /Docker engine at unix:\/\/\/tmp\/keiko-no-engine-here\.sock is not reachable.*\n.*npm run up/,
    );

    const serve = await runNode(['serve'], { env: { ...NO_ENGINE, KEIKO_DATA_DIR: data.dir } });
    expectOneClearError(serve, /Docker engine .* is not reachable .*labs cannot start without it/);
  });

  it('the preparation step says what to do when DOCKER_HOST names an engine that does not answer', async () => {
    const result = await runNode([], {
      script: path.join(PROJECT_ROOT, 'scripts', 'prepare.mjs'),
      env: NO_ENGINE,
    });
    expectOneClearError(result, /DOCKER_HOST=unix:\/\/\/tmp\/keiko-no-engine-here\.sock does not answer/);
  });

  it('names the variable with a value Keiko cannot use', async () => {
    const result = await runNode(['doctor'], { env: { KEIKO_PORT: 'eighty' } });
    expectOneClearError(result, /KEIKO_PORT="eighty": expected a port/);
  });

  it('answers an unknown command with the usage and exit code 2', async () => {
    const result = await runNode(['frobnicate']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/unknown command "frobnicate"[\s\S]*usage: keiko/);
  });
});
