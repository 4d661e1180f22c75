import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import net from 'node:net';
import { KEIKO_BIN, PROJECT_ROOT, runNode } from './cli';
import { tempDir } from './temp';

export interface RunningServer {
  url: string;
  port: number;
  pid: number;
  logs(): string;
  stop(): Promise<void>;
}

/** Whether nothing listens on the port of 127.0.0.1 now. */
function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/**
 * A port nothing listens on: the first free one of KEIKO_TEST_PORTS (`3640-3649`) when set, so
 * checkouts sharing a machine keep to the ports they were given; any the system picks otherwise.
 */
export async function freePort(): Promise<number> {
  const range = /^(\d+)-(\d+)$/.exec(process.env.KEIKO_TEST_PORTS ?? '');
  if (range) {
    for (let port = Number(range[1]); port <= Number(range[2]); port += 1)
      if (await portIsFree(port)) return port;
    throw new Error(`no free port in KEIKO_TEST_PORTS=${process.env.KEIKO_TEST_PORTS}`);
  }
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

/** Starts `keiko serve` (the production build, or `--dev`) on a free port and waits until /api/health answers. */
export async function startServer(
  env: Record<string, string>,
  options: { dev?: boolean } = {},
): Promise<RunningServer> {
  const port = await freePort();
  const child: ChildProcess = spawn(
    process.execPath,
    [KEIKO_BIN, 'serve', ...(options.dev ? ['--dev'] : [])],
    {
      cwd: PROJECT_ROOT,
      env: {
        ...process.env,
        KEIKO_PUBLIC_URL: `http://127.0.0.1:${port}`,
        ...env,
        KEIKO_PORT: String(port),
        KEIKO_HOST: '127.0.0.1',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 120_000;
  for (let answered = false; !answered;) {
    if (child.exitCode !== null) throw new Error(`keiko serve exited with ${child.exitCode}:\n${output}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`keiko serve did not answer ${url}/api/health within 120 s:\n${output}`);
    }
    // Bounded too: a server that accepts the connection but never answers must not hang the caller.
    answered = await fetch(`${url}/api/health`, { signal: AbortSignal.timeout(10_000) }).then(
      (response) => response.status > 0,
      () => false,
    );
    if (!answered) await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return {
    url,
    port,
    pid: child.pid!,
    logs: () => output,
    stop: async () => {
      await new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 10_000).unref();
      });
      // A stopped server leaves its sessions for the next start to adopt; a test ends them.
      await runNode(['sessions', 'stop', '--all'], { env: { ...env } });
    },
  };
}

export interface ServerInTest extends RunningServer {
  /** The server's data directory, a temp folder removed after the file's tests. */
  dataDir: string;
}

/**
 * One `keiko serve` for a test file: started before its tests (fixture labs, no warm pool, a fresh
 * temp data directory, then `env` on top), stopped and cleaned after them. The returned object reads
 * the running server's fields once it has started.
 */
export function useServer(
  name: string,
  env: Record<string, string> = {},
  options: { dev?: boolean } = {},
): ServerInTest {
  const data = tempDir(name);
  let running: RunningServer | undefined;
  beforeAll(async () => {
    running = await startServer(
      {
        KEIKO_DATA_DIR: data.dir,
        KEIKO_LABS_DIR: path.join(PROJECT_ROOT, 'tests', 'fixtures', 'labs'),
        KEIKO_POOL_SIZE: '0',
        ...env,
      },
      options,
    );
  }, 180_000);
  afterAll(async () => {
    await running?.stop();
    data.remove();
  });
  const current = (): RunningServer => {
    if (!running) throw new Error('the server has not started: useServer starts it in beforeAll');
    return running;
  };
  return {
    dataDir: data.dir,
    get url() {
      return current().url;
    },
    get port() {
      return current().port;
    },
    get pid() {
      return current().pid;
    },
    logs: () => current().logs(),
    stop: () => current().stop(),
  };
}
