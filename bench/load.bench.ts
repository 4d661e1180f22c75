import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { startServer } from '../tests/support/server';
import { bareDocker, bareStartAndExec } from './baselines/docker';
import { percentile } from './stats';
import type { Benchmark } from './types';

const SESSIONS = Number(process.env.BENCH_LOAD_SESSIONS ?? 100);
const SECONDS = Number(process.env.BENCH_LOAD_SECONDS ?? 60);
const IMAGE = 'keiko/bottle:latest';

interface Answer {
  status: number;
  ms: number;
  limit?: string;
}

/**
 * One POST /api/labs/{lab}/sessions from its own loopback address (127.0.0.x), as a class of
 * learners on their own machines would send it: the per-address limit counts each apart.
 */
function start(port: number, index: number): Promise<Answer> {
  const started = performance.now();
  return new Promise((resolve) => {
    const request = http.request(
      {
        host: '127.0.0.1',
        port,
        method: 'POST',
        path: '/api/labs/example-files/sessions',
        localAddress: `127.0.0.${2 + (index % 250)}`,
        timeout: 300_000,
      },
      (response) => {
        let body = '';
        response.on('data', (chunk: Buffer) => (body += chunk.toString()));
        response.on('end', () => {
          const ms = performance.now() - started;
          const limit =
            response.statusCode === 429
              ? /limit of|in the last minute|starting right now/.exec(body)?.[0]
              : undefined;
          resolve({ status: response.statusCode ?? 0, ms, limit });
        });
      },
    );
    request.on('error', () => resolve({ status: 0, ms: performance.now() - started }));
    request.on('timeout', () => request.destroy());
    request.end();
  });
}

function rssMB(pid: number): number {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
  } catch {
    return 0;
  }
}

/**
 * A class arriving at once: SESSIONS anonymous learners start a lab over SECONDS through the public
 * API of a production server. Every request must answer: 201 with a ready sandbox, or 429 with the
 * limit it met (the live-session limit is sized from this host's memory).
 */
const bench: Benchmark = {
  name: 'load',
  description: `${SESSIONS} learners start a lab over ${SECONDS} s through the API (ready or 429), beside bare starts`,
  async run(log) {
    const data = fs.mkdtempSync(path.join(os.tmpdir(), 'keiko-bench-load-'));
    const server = await startServer({
      KEIKO_DATA_DIR: data,
      KEIKO_LABS_DIR: path.join(import.meta.dirname, '..', 'tests', 'fixtures', 'labs'),
      KEIKO_INSTANCE: `bench-load-${process.pid}`,
    });
    const idleRss = rssMB(server.pid);
    let peakRss = idleRss;
    const sampler = setInterval(() => (peakRss = Math.max(peakRss, rssMB(server.pid))), 250);
    const began = performance.now();
    let answers: Answer[];
    try {
      answers = await Promise.all(
        Array.from({ length: SESSIONS }, async (_, index) => {
          await new Promise((resolve) => setTimeout(resolve, (index * SECONDS * 1000) / SESSIONS));
          return start(server.port, index);
        }),
      );
    } finally {
      clearInterval(sampler);
    }
    const elapsedS = (performance.now() - began) / 1000;
    const ready = answers.filter((a) => a.status === 201);
    const refused = answers.filter((a) => a.status === 429);
    const errors = answers.filter((a) => a.status !== 201 && a.status !== 429);
    const reasons = new Map<string, number>();
    for (const a of refused) reasons.set(a.limit ?? 'other', (reasons.get(a.limit ?? 'other') ?? 0) + 1);
    log(
      `${ready.length} ready, ${refused.length} refused with 429 (${[...reasons].map(([r, n]) => `${n} "${r}"`).join(', ')}), ${errors.length} errors (${errors.map((e) => e.status).join(',') || 'none'}) in ${elapsedS.toFixed(0)} s; server RSS ${idleRss.toFixed(0)} -> ${peakRss.toFixed(0)} MB`,
    );
    await server.stop();
    fs.rmSync(data, { recursive: true, force: true });

    // Baseline: as many bare containers as Keiko made ready, started at the same pace.
    const docker = bareDocker();
    const bare: number[] = [];
    const containers = await Promise.all(
      ready.map(async (_, index) => {
        await new Promise((resolve) => setTimeout(resolve, (index * SECONDS * 1000) / SESSIONS));
        const t = performance.now();
        const container = await bareStartAndExec(docker, IMAGE);
        bare.push(performance.now() - t);
        return container;
      }),
    );
    await Promise.all(containers.map((c) => c.remove({ force: true })));
    const ms = ready.map((a) => a.ms);
    const baseName = `${bare.length} bare create+start+exec at the same pace`;
    return [
      {
        metric: 'start under load, p50',
        unit: 'ms',
        ours: percentile(ms, 50),
        baseline: percentile(bare, 50),
        baselineName: baseName,
        samples: ms.length,
      },
      {
        metric: 'start under load, p99',
        unit: 'ms',
        ours: percentile(ms, 99),
        baseline: percentile(bare, 99),
        baselineName: baseName,
        samples: ms.length,
      },
      {
        metric: 'answers neither ready nor 429',
        unit: 'req/s',
        ours: errors.length / elapsedS,
        baseline: SESSIONS / elapsedS,
        baselineName: `${SESSIONS} requests sent over ${SECONDS} s`,
        samples: SESSIONS,
      },
      {
        metric: 'sessions made ready per second',
        unit: 'req/s',
        ours: ready.length / elapsedS,
        baseline: SESSIONS / elapsedS,
        baselineName: 'requests sent per second',
        samples: SESSIONS,
      },
      {
        metric: 'server RSS, peak under load',
        unit: 'MB',
        ours: peakRss,
        baseline: idleRss,
        baselineName: 'the same server idle before the load',
        samples: SESSIONS,
      },
    ];
  },
};

export default bench;
