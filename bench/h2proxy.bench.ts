import os from 'node:os';
import path from 'node:path';
import {
  bundleOutputs,
  ensureLabImage,
  labImageTag,
  prepareImages,
  readImageCatalog,
  type ImageProgress,
} from '@/sandbox';
import { latencyPercentiles, parseH2loadLog, parseH2loadSummary, type H2loadSummary } from './h2proxy-h2load';
import {
  BACKEND_APP,
  BACKEND_PORT,
  BENCH_DIR,
  NGINX_CONF,
  PEERS,
  SERVER_NAME,
  type Peer,
} from './h2proxy-peers';
import { benchSessionManager } from './session-manager';
import { median } from './stats';
import type { Benchmark, BenchRow } from './types';

const SECONDS = Number(process.env.BENCH_H2PROXY_SECONDS ?? 10);
const RUNS = Number(process.env.BENCH_H2PROXY_RUNS ?? 3);
const BURST_CLIENTS = Number(process.env.BENCH_H2PROXY_BURST ?? 100);
/** The sandbox's CPUs (cpuMillicores below): every proxy gets a worker per CPU. */
const SANDBOX_CPUS = 2;
const WORKERS = Number(process.env.BENCH_H2PROXY_WORKERS ?? SANDBOX_CPUS);
const peers = PEERS(WORKERS);

interface Scenario {
  name: 'steady' | 'burst';
  clients: number;
  /** Concurrent streams per client connection (h2load -m). */
  streams: number;
  /** A fixed number of requests (h2load -n) instead of SECONDS of load (-D). */
  requests?: number;
}

const SCENARIOS: Scenario[] = [
  { name: 'steady', clients: 10, streams: 10 },
  // Every request opened at once: clients x streams in flight, most waiting for the backend. A fixed
  // count, because h2load 1.52 can die stopping a timed run with thousands of streams outstanding.
  { name: 'burst', clients: BURST_CLIENTS, streams: 100, requests: BURST_CLIENTS * 100 },
];

interface Measurement {
  summary: H2loadSummary;
  /** Requests answered with 2xx or 3xx per second (h2load's req/s also counts 5xx answers). */
  goodput: number;
  p50: number;
  p99: number;
  /** Peak resident memory of the proxy's processes (VmHWM, summed over master and worker), MiB. */
  peakMiB: number;
  /** CPU time the proxy's processes used per 1,000 answered requests, ms. */
  cpuMsPer1000: number;
}

const ROOT = path.resolve(import.meta.dirname, '..');

/**
 * h2load over HTTP/2 with TLS through h2proxy to a Bottle app on cheroot, beside the same load through
 * nginx and nghttpx in the same sandbox and the same run: answered requests/s, p50/p99 latency, peak
 * memory and CPU per request, in a steady scenario and a burst of many clients and streams.
 */
const benchmark: Benchmark = {
  name: 'h2proxy',
  description:
    `h2load (TLS, h2) through h2proxy vs nginx and nghttpx to Bottle on cheroot: ${SECONDS} s runs, ` +
    `median of ${RUNS}; steady 10x10 streams, burst of ${BURST_CLIENTS * 100} requests at once; ` +
    `${WORKERS} worker process(es) each`,
  budgetMs: 40 * 60_000,
  async run(log, { signal }) {
    const { runtime, manager } = benchSessionManager();
    // What is being built, without Docker's step-by-step output.
    const progress = (event: ImageProgress) => {
      if (event.phase !== 'build' || /^(building|\S+: build context changed)/.test(event.message))
        log(event.message);
    };
    // The lab image when there is none, then the bench image on it. The proxy measured is the source
    // tree's, copied into the sandbox: a change to proxy/ needs no image rebuild (which would replace
    // the lab image other Keiko processes on this engine are using).
    if (!(await runtime.inspectImage(labImageTag('h2proxy')))) {
      await prepareImages(runtime, path.join(ROOT, 'labs', 'images'), {
        workDir: os.tmpdir(),
        only: ['h2proxy'],
        onProgress: progress,
      });
    }
    const bundle = (await bundleOutputs(path.join(ROOT, 'labs', 'images', 'h2proxy'))).get('h2proxy.mjs');
    if (!bundle) throw new Error('labs/images/h2proxy/bundle.json makes no h2proxy.mjs');
    const spec = readImageCatalog(path.join(ROOT, 'bench', 'images')).labs.find((s) => s.name === 'h2bench');
    if (!spec) throw new Error('bench/images/h2bench/Dockerfile is missing');
    await ensureLabImage(runtime, spec, { onProgress: progress });

    const session = await manager.start({
      labId: 'bench-h2proxy',
      image: spec.tag,
      ownerId: 'bench',
      limits: {
        cpuMillicores: 2000,
        memoryMiB: 2048,
        pids: 1024,
        scratchMiB: 256,
        execOutputMaxBytes: 16 * 2 ** 20,
      },
    });
    const sh = async (script: string, stdin?: string, timeoutMs = 120_000): Promise<string> => {
      const result = await manager.exec(session.id, {
        argv: ['bash', '-c', script],
        timeoutMs,
        ...(stdin ? { stdin } : {}),
      });
      if (result.exitCode !== 0)
        throw new Error(`${script.slice(0, 200)}\nfailed: ${result.stderr || result.stdout}`);
      return result.stdout;
    };
    try {
      await sh(`mkdir -p ${BENCH_DIR}/nginx && cat > ${BENCH_DIR}/app.py`, BACKEND_APP);
      await sh(`cat > ${BENCH_DIR}/nginx.conf`, NGINX_CONF(WORKERS));
      await sh(`cat > ${BENCH_DIR}/h2proxy.mjs`, bundle.toString('utf8'));
      await sh(`
        cd ${BENCH_DIR}
        openssl req -x509 -newkey rsa:2048 -nodes -keyout key.pem -out cert.pem -days 2 \\
          -subj /CN=${SERVER_NAME} -addext subjectAltName=DNS:${SERVER_NAME} 2>/dev/null
        setsid nohup python3 app.py > app.log 2>&1 < /dev/null &
        ${waitForPort(BACKEND_PORT)}`);
      const versions = await sh(
        `{ node ${BENCH_DIR}/h2proxy.mjs --version; node --version; nginx -v 2>&1; nghttpx --version | head -1; h2load --version | head -1; }`,
      );
      log(versions.trim().split('\n').join(', '));
      // The ceiling every proxy shares: the backend alone, HTTP/1.1 without TLS, 10 connections.
      const direct = parseH2loadSummary(
        await sh(`h2load -D 5 -c 10 -m 1 --h1 http://127.0.0.1:${BACKEND_PORT}/hello`, undefined, 60_000),
      );
      log(
        `backend alone (h2load --h1, 10 connections): ${(direct.requests.succeeded / direct.seconds).toFixed(0)} answered/s`,
      );

      const results = new Map<string, Measurement[]>();
      for (const scenario of SCENARIOS) {
        for (let run = 1; run <= RUNS; run += 1) {
          // Interleaved, so a slow minute of the machine falls on every proxy alike.
          for (const peer of peers) {
            if (signal.aborted) throw new Error('stopped: over its time budget');
            const measured = await measure(sh, peer, scenario);
            const key = `${scenario.name}/${peer.name}`;
            results.set(key, [...(results.get(key) ?? []), measured]);
            const { summary } = measured;
            log(
              `${scenario.name} run ${run} ${peer.name.padEnd(7)} ${measured.goodput.toFixed(0)} answered/s, ` +
                `p50 ${measured.p50.toFixed(1)} ms, p99 ${measured.p99.toFixed(1)} ms, ` +
                `peak ${measured.peakMiB.toFixed(1)} MiB, ${measured.cpuMsPer1000.toFixed(0)} ms CPU/1k req, ` +
                `${summary.requests.succeeded}/${summary.requests.total} ok, ${summary.statusCodes['5xx']} 5xx`,
            );
          }
        }
      }
      return rows(results, log);
    } finally {
      await manager.stop(session.id).catch(() => {});
    }
  },
};

function waitForPort(port: number): string {
  return `for i in $(seq 200); do (exec 3<>/dev/tcp/127.0.0.1/${port}) 2>/dev/null && exit 0; sleep 0.05; done; echo "nothing on ${port}" >&2; exit 1`;
}

/** The proxy's process and all its descendants (nginx's and nghttpx's workers), as a shell list. */
const TREE = (pid: string) =>
  `$(tree() { echo $1; for c in $(pgrep -P $1); do tree $c; done; }; tree ${pid})`;

async function measure(
  sh: (script: string, stdin?: string, timeoutMs?: number) => Promise<string>,
  peer: Peer,
  scenario: Scenario,
): Promise<Measurement> {
  const pid =
    // `;` not `&&`: the background job is the proxy itself, not a subshell around it, so $! is its pid.
    (
      await sh(`cd ${BENCH_DIR}; setsid nohup ${peer.command} > ${peer.name}.out 2>&1 < /dev/null & echo $!`)
    ).trim();
  try {
    await sh(`(${waitForPort(peer.port)})`);
    const target = `--connect-to=127.0.0.1:${peer.port} https://${SERVER_NAME}:${peer.port}/hello`;
    await sh(`h2load -n 2000 -c 10 -m 10 ${target} > /dev/null`); // warm: connections, JIT, caches
    const cpuTicks = `for p in ${TREE(pid)}; do sed 's/.*) //' /proc/$p/stat | awk '{print $12 + $13}'; done | awk '{s += $1} END {print s}'`;
    const before = Number(await sh(cpuTicks));
    // h2load writes its log over an existing file without truncating it: start from none.
    const output = await sh(
      `cd ${BENCH_DIR} && rm -f h2load.log && h2load ${scenario.requests ? `-n ${scenario.requests}` : `-D ${SECONDS}`} ` +
        `-c ${scenario.clients} -m ${scenario.streams} -t 1 ` +
        `--log-file=${BENCH_DIR}/h2load.log ${target}`,
      undefined,
      (SECONDS + 120) * 1000,
    );
    const after = Number(await sh(cpuTicks));
    const hertz = Number(await sh('getconf CLK_TCK'));
    const peakKiB = Number(
      await sh(
        `for p in ${TREE(pid)}; do awk '/^VmHWM/ {print $2}' /proc/$p/status; done | awk '{s += $1} END {print s}'`,
      ),
    );
    const summary = parseH2loadSummary(output);
    // h2load exits 0 even when nothing answered: a run without h2 or without answers is no figure.
    if (summary.protocol !== 'h2' || summary.requests.succeeded === 0) {
      throw new Error(`${peer.name} (${scenario.name}) answered nothing over h2:\n${output.slice(-1500)}`);
    }
    const { durationsMs, unfinished } = parseH2loadLog(await sh(`cat ${BENCH_DIR}/h2load.log`));
    if (durationsMs.length + unfinished !== summary.requests.done) {
      throw new Error(
        `h2load logged ${durationsMs.length + unfinished} requests of ${summary.requests.done} done`,
      );
    }
    const answered = Math.max(1, summary.requests.succeeded);
    return {
      summary,
      goodput: summary.requests.succeeded / summary.seconds,
      ...latencyPercentiles(durationsMs),
      peakMiB: peakKiB / 1024,
      cpuMsPer1000: (((after - before) / hertz) * 1000 * 1000) / answered,
    };
  } finally {
    await sh(
      `kill ${TREE(pid)} 2>/dev/null; for i in $(seq 100); do kill -0 ${pid} 2>/dev/null || exit 0; sleep 0.05; done`,
    );
  }
}

/** Medians per proxy, and h2proxy against the better of nginx and nghttpx on each figure. */
function rows(results: Map<string, Measurement[]>, log: (line: string) => void): BenchRow[] {
  const out: BenchRow[] = [];
  for (const scenario of SCENARIOS) {
    const load = `${scenario.clients}x${scenario.streams} streams`;
    const figure = (peer: Peer['name'], pick: (m: Measurement) => number) =>
      median((results.get(`${scenario.name}/${peer}`) ?? []).map(pick));
    const metrics: {
      metric: string;
      unit: BenchRow['unit'];
      pick: (m: Measurement) => number;
      higherIsBetter?: boolean;
    }[] = [
      { metric: 'answered requests/s', unit: 'req/s', pick: (m) => m.goodput, higherIsBetter: true },
      { metric: 'p50 latency', unit: 'ms', pick: (m) => m.p50 },
      { metric: 'p99 latency', unit: 'ms', pick: (m) => m.p99 },
      { metric: 'peak memory', unit: 'MB', pick: (m) => m.peakMiB },
      { metric: 'CPU per 1000 requests', unit: 'ms', pick: (m) => m.cpuMsPer1000 },
    ];
    for (const { metric, unit, pick, higherIsBetter } of metrics) {
      const peers = (['nginx', 'nghttpx'] as const).map((name) => ({ name, value: figure(name, pick) }));
      const best = peers.reduce((a, b) => ((higherIsBetter ? b.value > a.value : b.value < a.value) ? b : a));
      log(
        `${scenario.name} ${metric}: ` +
          peers.map((peer) => `${peer.name} ${figure(peer.name, pick).toFixed(1)}`).join(', ') +
          ` ${unit}`,
      );
      out.push({
        metric: `${scenario.name} (${load}) ${metric}`,
        unit,
        ours: figure('h2proxy', pick),
        baseline: best.value,
        baselineName: `best of nginx and nghttpx (${best.name}), same backend, same run`,
        samples: RUNS,
      });
    }
  }
  return out;
}

export default benchmark;
