import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import type { Duplex } from 'node:stream';
import { WebSocket } from 'ws';
import { readProbeAgentSource, readProbeScripts } from '@/grader';
import { LearnerLabs, parseEnv, sessionToken, TerminalGateway } from '@/platform';
import { Store } from '@/store';
import { labImageTag, ShellHub } from '@/sandbox';
import { bareDocker, bareTtyExec } from './baselines/docker';
import { percentile } from './stats';
import { benchSessionManager } from './session-manager';
import type { Benchmark } from './types';

const KEYSTROKES = Number(process.env.BENCH_KEYSTROKES ?? 1000);
const FLOOD_BYTES = 50 * 1024 * 1024; // 50 MiB
const ACK_EVERY_BYTES = 64 * 1024;
const LETTERS = 'abcdefghijklmnopqrstuvwxyz';

/** Something that carries keystrokes one way and terminal output the other. */
interface Channel {
  write(data: string): void;
  onOutput(listener: (chunk: Buffer) => void): void;
  close(): void;
}

/** Types one character at a time into `cat` and times each until its echo comes back. */
async function echoLatencies(channel: Channel, count: number): Promise<number[]> {
  let pending: { char: string; started: number; resolve: (ms: number) => void } | undefined;
  channel.onOutput((chunk) => {
    if (pending && chunk.includes(pending.char)) {
      const done = pending;
      pending = undefined;
      done.resolve(performance.now() - done.started);
    }
  });
  channel.write('stty -echoctl; cat\r');
  await new Promise((resolve) => setTimeout(resolve, 500));
  const times: number[] = [];
  for (let i = 0; i < count; i += 1) {
    const char = LETTERS[i % LETTERS.length]!;
    times.push(
      await new Promise<number>((resolve) => {
        pending = { char, started: performance.now(), resolve };
        channel.write(char);
      }),
    );
    if (i % 60 === 59) channel.write('\r'); // keep cat's line short
  }
  channel.write('\x04');
  return times;
}

/** Seconds to receive FLOOD_BYTES of output and the marker after it. */
async function floodSeconds(channel: Channel): Promise<number> {
  const marker = 'FLOOD-DONE';
  let received = 0;
  const started = performance.now();
  const done = new Promise<void>((resolve) => {
    let tail = '';
    const progress = setInterval(() => process.env.BENCH_DEBUG && console.error('received', received), 1000);
    channel.onOutput((chunk) => {
      received += chunk.length;
      tail = (tail + chunk.toString('latin1')).slice(-1024); // the marker, then a prompt full of escape codes
      if (received >= FLOOD_BYTES && tail.includes(marker)) {
        clearInterval(progress);
        resolve();
      }
    });
  });
  channel.write(
    `head -c ${FLOOD_BYTES} /dev/zero | tr '\\0' a; echo; echo ${marker.slice(0, 5)}''${marker.slice(5)}\r`,
  );
  await done;
  return (performance.now() - started) / 1000;
}

function websocketChannel(url: string): Promise<Channel> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    ws.setMaxListeners(0);
    let unacked = 0;
    ws.on('message', (data, isBinary) => {
      if (!isBinary) return;
      unacked += (data as Buffer).length;
      if (unacked >= ACK_EVERY_BYTES) {
        ws.send(JSON.stringify({ type: 'ack', bytes: unacked }));
        unacked = 0;
      }
    });
    ws.on('open', () =>
      resolve({
        write: (data) => ws.send(JSON.stringify({ type: 'input', data })),
        onOutput: (listener) => ws.on('message', (data, isBinary) => isBinary && listener(data as Buffer)),
        close: () => ws.close(),
      }),
    );
    ws.on('error', reject);
  });
}

function streamChannel(stream: Duplex): Channel {
  stream.setMaxListeners(0);
  return {
    write: (data) => stream.write(data),
    onOutput: (listener) => stream.on('data', listener),
    close: () => stream.destroy(),
  };
}

/**
 * Keystroke-to-echo latency and output throughput through Keiko's terminal WebSocket (gateway, shell
 * hub, flow control), beside a bare dockerode TTY exec stream into the same kind of container.
 */
const benchmark: Benchmark = {
  name: 'terminal-echo',
  description: `${KEYSTROKES} keystrokes into cat, and ${FLOOD_BYTES / 1024 / 1024} MiB of output, WebSocket vs bare exec stream`,
  async run(log) {
    const root = path.resolve(import.meta.dirname, '..');
    const { manager } = benchSessionManager();
    const server = http.createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as { port: number }).port;
    const env = parseEnv({ KEIKO_PUBLIC_URL: `http://127.0.0.1:${port}` });
    const secret = Buffer.alloc(32, 1);
    const store = Store.open(fs.mkdtempSync(path.join(os.tmpdir(), 'keiko-bench-')));
    const sessions = new LearnerLabs({
      manager,
      env,
      labsDir: path.join(root, 'tests', 'fixtures', 'labs'),
      secret,
      progress: store.progress,
      probeScripts: readProbeScripts(root),
      probeAgentSource: readProbeAgentSource(root),
    });
    const gateway = new TerminalGateway(sessions, new ShellHub(manager), secret, `http://127.0.0.1:${port}`);
    server.on(
      'upgrade',
      (request, socket, head) => void (gateway.handleUpgrade(request, socket, head) || socket.destroy()),
    );
    const { session } = await sessions.startOrResume('terminal-demo', 'bench');
    const docker = bareDocker();
    const bare = await docker.createContainer({
      Image: labImageTag('bottle'),
      Cmd: ['sleep', 'infinity'],
      User: '1000:1000',
      Labels: { 'keiko.bench': 'bare' },
    });
    await bare.start();
    try {
      const url = (key: string) =>
        `ws://127.0.0.1:${port}/api/sessions/${session.id}/terminal?token=${sessionToken(secret, session.id)}&terminal=${key}`;
      log('keystrokes through the WebSocket');
      const ours = await echoLatencies(await websocketChannel(url('echo')), KEYSTROKES);
      log('keystrokes through a bare exec stream');
      const raw = await echoLatencies(
        streamChannel((await bareTtyExec(bare, ['bash'])) as Duplex),
        KEYSTROKES,
      );
      log('50 MiB through the WebSocket');
      const oursSeconds = await floodSeconds(await websocketChannel(url('flood')));
      log('50 MiB through a bare exec stream');
      const rawSeconds = await floodSeconds(streamChannel((await bareTtyExec(bare, ['bash'])) as Duplex));
      const MB = FLOOD_BYTES / 1e6;
      return [
        {
          metric: 'keystroke to echo, p50',
          unit: 'ms',
          ours: percentile(ours, 50),
          baseline: percentile(raw, 50),
          baselineName: 'bare dockerode TTY exec stream',
          samples: KEYSTROKES,
        },
        {
          metric: 'keystroke to echo, p99',
          unit: 'ms',
          ours: percentile(ours, 99),
          baseline: percentile(raw, 99),
          baselineName: 'bare dockerode TTY exec stream',
          samples: KEYSTROKES,
        },
        {
          metric: 'output throughput (50 MiB)',
          unit: 'MB/s',
          ours: MB / oursSeconds,
          baseline: MB / rawSeconds,
          baselineName: 'bare dockerode TTY exec stream',
          samples: 1,
        },
      ];
    } finally {
      gateway.close();
      server.close();
      store.close();
      await manager.stop(session.id).catch(() => {});
      await bare.remove({ force: true });
    }
  },
};

export default benchmark;
