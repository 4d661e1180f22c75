// `npm run bench [NAME…]`: runs each benchmark, prints Keiko's figure beside the raw baseline measured
// in the same run with their ratio, and writes every figure, with the machine it was measured on, to
// bench/results/latest.json (or BENCH_RESULTS). Each benchmark has a time budget: one that overruns it
// is stopped with what it was doing last, the others still run, and the exit code is 1.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { DockerRuntime } from '@/sandbox';
import { BudgetExceeded, CLEANUP_GRACE_MS, withinBudget } from './budget';
import type { Benchmark, BenchRow } from './types';

const BENCH_DIR = import.meta.dirname;
const RESULTS_FILE = process.env.BENCH_RESULTS
  ? path.resolve(process.env.BENCH_RESULTS)
  : path.join(BENCH_DIR, 'results', 'latest.json');
/** A benchmark that states no budget of its own gets this. */
const DEFAULT_BUDGET_MS = 15 * 60_000;

async function loadBenchmarks(names: string[]): Promise<Benchmark[]> {
  const files = fs
    .readdirSync(BENCH_DIR)
    .filter((file) => file.endsWith('.bench.ts'))
    .sort();
  const all: Benchmark[] = [];
  for (const file of files) {
    const module = (await import(pathToFileURL(path.join(BENCH_DIR, file)).href)) as { default: Benchmark };
    all.push(module.default);
  }
  const unknown = names.filter((name) => !all.some((bench) => bench.name === name));
  if (unknown.length)
    throw new Error(`no benchmark named ${unknown.join(', ')}; known: ${all.map((b) => b.name).join(', ')}`);
  return names.length ? all.filter((bench) => names.includes(bench.name)) : all;
}

function format(value: number): string {
  return value >= 100 ? value.toFixed(0) : value >= 10 ? value.toFixed(1) : value.toFixed(2);
}

function table(rows: (BenchRow & { benchmark: string })[]): string {
  const header = ['benchmark', 'metric', 'keiko', 'baseline', 'ratio', 'n', 'baseline is'];
  const body = rows.map((row) => [
    row.benchmark,
    row.metric,
    `${format(row.ours)} ${row.unit}`,
    `${format(row.baseline)} ${row.unit}`,
    `${(row.ours / row.baseline).toFixed(2)}x`,
    String(row.samples),
    row.baselineName,
  ]);
  const widths = header.map((_, column) =>
    Math.max(...[header, ...body].map((line) => (line[column] ?? '').length)),
  );
  const line = (cells: string[]) => cells.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join('  ');
  return [line(header), line(widths.map((width) => '-'.repeat(width))), ...body.map(line)].join('\n');
}

/** The machine the figures were measured on: they mean little without it. */
async function machine(): Promise<Record<string, unknown>> {
  const engine = await new DockerRuntime({ dockerHost: process.env.DOCKER_HOST }).engineInfo();
  return {
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model ?? null,
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    loadAverage1m: Number(os.loadavg()[0]?.toFixed(2)),
    kernel: os.release(),
    node: process.versions.node,
    docker: engine.reachable ? engine.version : null,
    dockerApi: engine.reachable ? engine.apiVersion : null,
  };
}

interface Failure {
  benchmark: string;
  message: string;
}

/** Runs one benchmark within its budget; a failure is reported, not thrown. */
async function runOne(bench: Benchmark): Promise<{ rows: BenchRow[] } | { failure: Failure }> {
  const say = (text: string) => console.error(`[bench] ${bench.name}: ${text}`);
  const budgetMs = process.env.BENCH_BUDGET_S
    ? Number(process.env.BENCH_BUDGET_S) * 1000
    : (bench.budgetMs ?? DEFAULT_BUDGET_MS);
  say(`${bench.description} (budget ${Math.round(budgetMs / 1000)} s)`);
  let lastStep = 'starting';
  const started = performance.now();
  const { result, settled } = withinBudget(
    budgetMs,
    () => lastStep,
    (signal) =>
      bench.run(
        (text) => {
          lastStep = text;
          say(text);
        },
        { signal },
      ),
  );
  try {
    const rows = await result;
    say(`took ${((performance.now() - started) / 1000).toFixed(0)} s`);
    return { rows };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    say(`FAILED: ${message}`);
    if (error instanceof BudgetExceeded) {
      // Give it time to stop its servers and sandboxes before the next benchmark starts.
      const cleaned = await Promise.race([
        settled.then(() => true),
        new Promise<boolean>((resolve) => setTimeout(() => resolve(false), CLEANUP_GRACE_MS).unref()),
      ]);
      if (!cleaned) say(`did not clean up within ${CLEANUP_GRACE_MS / 1000} s after being stopped`);
    }
    return { failure: { benchmark: bench.name, message } };
  }
}

async function main(): Promise<void> {
  const benchmarks = await loadBenchmarks(process.argv.slice(2));
  const host = await machine();
  console.error(`[bench] machine: ${JSON.stringify(host)}`);
  const rows: (BenchRow & { benchmark: string })[] = [];
  const failures: Failure[] = [];
  for (const bench of benchmarks) {
    const outcome = await runOne(bench);
    if ('failure' in outcome) failures.push(outcome.failure);
    else for (const row of outcome.rows) rows.push({ benchmark: bench.name, ...row });
  }
  console.log(table(rows));
  for (const failure of failures) console.log(`FAILED ${failure.benchmark}: ${failure.message}`);
  fs.mkdirSync(path.dirname(RESULTS_FILE), { recursive: true });
  // Figures of benchmarks not run this time are kept, each with the date it was measured.
  const ran = new Set(benchmarks.map((bench) => bench.name));
  const previous = fs.existsSync(RESULTS_FILE)
    ? (JSON.parse(fs.readFileSync(RESULTS_FILE, 'utf8')) as {
        results?: { benchmark: string }[];
        failures?: Failure[];
      })
    : {};
  const measuredAt = new Date().toISOString();
  const results = {
    date: measuredAt,
    host,
    results: [
      ...(previous.results ?? []).filter((row) => !ran.has(row.benchmark)),
      ...rows.map((row) => ({ ...row, ratio: row.ours / row.baseline, measuredAt, host })),
    ],
    failures: [
      ...(previous.failures ?? []).filter((failure) => !ran.has(failure.benchmark)),
      ...failures.map((failure) => ({ ...failure, measuredAt })),
    ],
  };
  fs.writeFileSync(RESULTS_FILE, `${JSON.stringify(results, null, 2)}\n`);
  console.log(`\nwritten to ${path.relative(process.cwd(), RESULTS_FILE)}`);
  // Whatever a stopped benchmark left running must not keep the process (and the caller) waiting.
  process.exit(failures.length ? 1 : 0);
}

main().catch((error: unknown) => {
  console.error(`bench: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
