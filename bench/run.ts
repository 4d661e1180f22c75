// `npm run bench [NAME…]`: runs each benchmark, prints Keiko's figure beside the raw baseline measured
// in the same run with their ratio, and writes every figure to bench/results/latest.json.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { DockerRuntime } from '@/sandbox';
import type { Benchmark, BenchRow } from './types';

const BENCH_DIR = import.meta.dirname;
const RESULTS_FILE = path.join(BENCH_DIR, 'results', 'latest.json');

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

async function main(): Promise<void> {
  const benchmarks = await loadBenchmarks(process.argv.slice(2));
  const engine = await new DockerRuntime({ dockerHost: process.env.DOCKER_HOST }).engineInfo();
  const rows: (BenchRow & { benchmark: string })[] = [];
  for (const bench of benchmarks) {
    console.error(`[bench] ${bench.name}: ${bench.description}`);
    const started = performance.now();
    for (const row of await bench.run((text) => console.error(`[bench] ${bench.name}: ${text}`))) {
      rows.push({ benchmark: bench.name, ...row });
    }
    console.error(`[bench] ${bench.name} took ${((performance.now() - started) / 1000).toFixed(0)} s`);
  }
  console.log(table(rows));
  fs.mkdirSync(path.dirname(RESULTS_FILE), { recursive: true });
  // Figures of benchmarks not run this time are kept, each with the date it was measured.
  const ran = new Set(benchmarks.map((bench) => bench.name));
  const previous = fs.existsSync(RESULTS_FILE)
    ? ((JSON.parse(fs.readFileSync(RESULTS_FILE, 'utf8')) as { results?: { benchmark: string }[] }).results ??
      [])
    : [];
  const measuredAt = new Date().toISOString();
  const results = {
    date: measuredAt,
    host: {
      cpus: os.cpus().length,
      memoryGiB: Math.round(os.totalmem() / 2 ** 30),
      node: process.versions.node,
      docker: engine.reachable ? engine.version : null,
    },
    results: [
      ...previous.filter((row) => !ran.has(row.benchmark)),
      ...rows.map((row) => ({ ...row, ratio: row.ours / row.baseline, measuredAt })),
    ],
  };
  fs.writeFileSync(RESULTS_FILE, `${JSON.stringify(results, null, 2)}\n`);
  console.log(`\nwritten to ${path.relative(process.cwd(), RESULTS_FILE)}`);
}

main().catch((error: unknown) => {
  console.error(`bench: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
