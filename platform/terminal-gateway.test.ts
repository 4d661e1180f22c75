import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { MemoryRegistry, MemoryRuntime, SessionManager, ShellHub } from '@/sandbox';
import { Store } from '@/store';
import { parseEnv } from './env';
import { learnerCookieValue, sessionToken } from './identity';
import { LearnerLabs } from './learner-labs';
import { TerminalGateway } from './terminal-gateway';

const secret = Buffer.alloc(32, 7);
const runtime = new MemoryRuntime();
let server: http.Server;
let base: string;
let origin: string;
let sessionId: string;
let otherSessionId: string;

beforeAll(async () => {
  runtime.registry.add('keiko/bottle:latest').add('keiko/probe:latest');
  await runtime.pullImage('keiko/bottle:latest');
  await runtime.pullImage('keiko/probe:latest');
  const labsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'keiko-gw-'));
  fs.mkdirSync(path.join(labsDir, 'demo'));
  fs.writeFileSync(path.join(labsDir, 'demo', 'lab.yaml'), 'id: demo\ntitle: Demo\nimage: bottle\n');
  const manager = new SessionManager({
    runtime,
    registry: new MemoryRegistry(),
    probeImage: 'keiko/probe:latest',
  });
  server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  base = `ws://127.0.0.1:${port}`;
  origin = `http://127.0.0.1:${port}`;
  const env = parseEnv({ KEIKO_PUBLIC_URL: origin });
  const store = Store.open(fs.mkdtempSync(path.join(os.tmpdir(), 'keiko-gw-store-')));
  const sessions = new LearnerLabs({
    manager,
    env,
    labsDir,
    secret,
    progress: store.progress,
    probeScripts: {},
    probeAgentSource: '',
  });
  const gateway = new TerminalGateway(sessions, new ShellHub(manager), secret, origin);
  server.on('upgrade', (request, socket, head) => {
    if (!gateway.handleUpgrade(request, socket, head)) socket.destroy();
  });
  sessionId = (await sessions.startOrResume('demo', 'l_owner')).session.id;
  otherSessionId = (await sessions.startOrResume('demo', 'l_other')).session.id;
});
afterAll(() => server.close());

/** Opens a socket and reports the HTTP status it was refused with, or 101 when it opened. */
function openStatus(url: string, headers: Record<string, string> = {}): Promise<number> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url, { headers });
    ws.on('open', () => {
      ws.close();
      resolve(101);
    });
    ws.on('unexpected-response', (_request, response) => resolve(response.statusCode ?? 0));
    ws.on('error', () => {});
  });
}

const terminalUrl = (id: string, query = '') => `${base}/api/sessions/${id}/terminal${query}`;

describe('TerminalGateway', () => {
  it('refuses a connection without token or cookie (401), before any engine call', async () => {
    const before = runtime.calls.length;
    expect(await openStatus(terminalUrl(sessionId), { Origin: origin })).toBe(401);
    expect(runtime.calls.length).toBe(before);
  });

  it("refuses another session's token and another learner's cookie as not found (404)", async () => {
    const before = runtime.calls.length;
    expect(
      await openStatus(terminalUrl(sessionId, `?token=${sessionToken(secret, otherSessionId)}`), {
        Origin: origin,
      }),
    ).toBe(404);
    expect(
      await openStatus(terminalUrl(sessionId), {
        Origin: origin,
        Cookie: `keiko_learner=${learnerCookieValue(secret, 'l_other')}`,
      }),
    ).toBe(404);
    expect(await openStatus(terminalUrl('s_doesnotexist', '?token=x'), { Origin: origin })).toBe(404);
    expect(runtime.calls.length).toBe(before);
  });

  it('refuses a foreign Origin even with a valid token (403)', async () => {
    const before = runtime.calls.length;
    expect(
      await openStatus(terminalUrl(sessionId, `?token=${sessionToken(secret, sessionId)}`), {
        Origin: 'https://evil.example',
      }),
    ).toBe(403);
    expect(runtime.calls.length).toBe(before);
  });

  it("accepts the session's token, and the owner's cookie from the platform's own origin", async () => {
    expect(await openStatus(terminalUrl(sessionId, `?token=${sessionToken(secret, sessionId)}`))).toBe(101);
    expect(
      await openStatus(terminalUrl(sessionId), {
        Origin: origin,
        Cookie: `keiko_learner=${learnerCookieValue(secret, 'l_owner')}`,
      }),
    ).toBe(101);
  });

  it('closes with 4008 on a frame that is not a protocol message', async () => {
    const ws = new WebSocket(terminalUrl(sessionId, `?token=${sessionToken(secret, sessionId)}`));
    await new Promise((resolve) => ws.on('open', resolve));
    ws.send('{"type":"shout"}');
    const code = await new Promise<number>((resolve) => ws.on('close', (closeCode) => resolve(closeCode)));
    expect(code).toBe(4008);
  });

  it('answers a malformed cookie or request target with a 4xx at once, and throws nothing', async () => {
    const thrown: unknown[] = [];
    const onUncaught = (error: unknown) => thrown.push(error);
    process.on('uncaughtException', onUncaught);
    try {
      const cookie = await rawUpgrade(`/api/sessions/${sessionId}/terminal`, 'Cookie: keiko_learner=%\r\n');
      expect(cookie).toMatch(/^HTTP\/1\.1 401 /);
      const target = await rawUpgrade('//a:99999/api/sessions/x/terminal');
      expect(target).toMatch(/^HTTP\/1\.1 400 /);
    } finally {
      process.off('uncaughtException', onUncaught);
    }
    expect(thrown).toEqual([]);
  });

  it('accepts the owner cookie under its __Host- name too', async () => {
    expect(
      await openStatus(terminalUrl(sessionId), {
        Origin: origin,
        Cookie: `__Host-keiko_learner=${learnerCookieValue(secret, 'l_owner')}`,
      }),
    ).toBe(101);
  });
});

/** Sends a WebSocket upgrade by hand and returns what came back before the server closed (or 2 s). */
function rawUpgrade(target: string, extraHeaders = ''): Promise<string> {
  return new Promise((resolve) => {
    const socket = net.connect(Number(new URL(base).port), '127.0.0.1');
    let answer = '';
    const timer = setTimeout(() => {
      socket.destroy();
      resolve(`${answer}[still open after 2 s]`);
    }, 2_000);
    socket.on('data', (chunk) => (answer += chunk.toString()));
    socket.on('error', () => {});
    socket.on('close', () => {
      clearTimeout(timer);
      resolve(answer);
    });
    socket.write(
      `GET ${target} HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
        `Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n${extraHeaders}\r\n`,
    );
  });
}
