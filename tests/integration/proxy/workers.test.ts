// The h2proxy command serves from one process per CPU sharing one port (proxy/workers.ts): started
// as the lab image runs it (the CLI, through tsx here), it answers on every connection, says once
// that it listens, fails a busy port with one line, and leaves no process behind on SIGTERM.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../support/cli';

const CLI = path.join(PROJECT_ROOT, 'proxy', 'cli.ts');

let backend: http.Server;
let backendPort: number;

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

function startCli(
  port: number,
  workers: string,
): { child: ChildProcess; output: () => string; exited: Promise<number | null> } {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', CLI, '-p', String(port), '-b', '127.0.0.1', '--rev', `127.0.0.1:${backendPort}`],
    {
      cwd: PROJECT_ROOT,
      env: { ...process.env, H2PROXY_WORKERS: workers },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let text = '';
  child.stdout?.on('data', (chunk: Buffer) => (text += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (text += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, output: () => text, exited };
}

async function until(condition: () => boolean, what: string, ms = 60_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`${what}: not within ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** The process's children, from /proc (the workers of a cluster). */
function children(pid: number): number[] {
  const found: number[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      const cmdline = fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8');
      if (ppid === pid && cmdline.includes('cli.ts')) found.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return found;
}

function get(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    http
      .get({ host: '127.0.0.1', port, path: '/x', agent: false }, (res) => {
        let body = '';
        res.on('data', (chunk: Buffer) => (body += chunk.toString()));
        res.on('end', () => resolve(body));
      })
      .on('error', reject);
  });
}

beforeAll(async () => {
  backend = http.createServer((req, res) => res.end(`backend saw ${req.url}`));
  await new Promise<void>((resolve) => backend.listen(0, '127.0.0.1', resolve));
  backendPort = (backend.address() as net.AddressInfo).port;
});

afterAll(() => backend?.close());

describe('h2proxy with two worker processes', () => {
  it('answers on many connections, says once that it listens, and leaves nothing on SIGTERM', async () => {
    const port = await freePort();
    const proxy = startCli(port, '2');
    try {
      await until(() => proxy.output().includes('listening'), 'the proxy says it listens');
      expect(proxy.output()).toMatch(/h2proxy listening on 127\.0\.0\.1:\d+ .*\(2 processes\)/);
      expect(proxy.output().match(/listening/g)).toHaveLength(1);
      const workers = children(proxy.child.pid!);
      expect(workers).toHaveLength(2);
      const answers = await Promise.all(Array.from({ length: 20 }, () => get(port)));
      expect(new Set(answers)).toEqual(new Set(['backend saw /x']));
      proxy.child.kill('SIGTERM');
      expect(await proxy.exited).toBe(0);
      for (const pid of workers) expect(fs.existsSync(`/proc/${pid}`)).toBe(false);
    } finally {
      proxy.child.kill('SIGKILL');
    }
  });

  it('replaces a worker that dies', async () => {
    const port = await freePort();
    const proxy = startCli(port, '2');
    try {
      await until(() => proxy.output().includes('listening'), 'the proxy says it listens');
      const [first] = children(proxy.child.pid!);
      process.kill(first!, 'SIGKILL');
      await until(
        () => children(proxy.child.pid!).length === 2 && !children(proxy.child.pid!).includes(first!),
        'a new worker',
      );
      expect(proxy.output()).toMatch(/worker process \d+ stopped \(signal SIGKILL\); starting another/);
      expect(await get(port)).toBe('backend saw /x');
    } finally {
      proxy.child.kill('SIGTERM');
      await proxy.exited;
    }
  });

  it('stops with one line, exit 1, when the port is in use', async () => {
    const busy = net.createServer();
    await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
    const port = (busy.address() as net.AddressInfo).port;
    try {
      const proxy = startCli(port, '2');
      expect(await proxy.exited).toBe(1);
      expect(proxy.output()).toBe(`h2proxy: cannot listen on 127.0.0.1:${port}: the port is in use\n`);
    } finally {
      busy.close();
    }
  });
});
