#!/usr/bin/env node
// Times the README's first command on a bare machine: a clean clone, no node_modules, no Docker
// engine, no images; `npm run up` until GET /api/health answers "ok": true. Meant for a fresh VM or a
// CI runner (as root on Debian, like the README's quick start), never for a developer's machine: it
// refuses to run where a Docker engine or Keiko images already exist, unless --not-bare is given, in
// which case the figure is recorded as not bare.
//
//   node scripts/time-first-run.mjs [--repo URL_OR_PATH] [--ref REF] [--port 3000] [--out FILE] [--not-bare]
//
// Then runs it once more (everything in place: "a second run starts in seconds").
// Writes { date, machine, bare, seconds, secondRunSeconds, phases } to --out (default bench/results/first-run-<date>.json)
// and prints the figure. The server it started is stopped at the end; the engine and images stay.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
/** The README promises minutes; past this the run is a failure, not a figure. */
const BUDGET_MS = 30 * 60_000;

function option(name, fallback) {
  const index = process.argv.indexOf(name);
  return index >= 0 ? process.argv[index + 1] : fallback;
}

const repo = option('--repo', ROOT);
const ref = option('--ref', 'HEAD');
const port = Number(option('--port', '3000'));
const notBare = process.argv.includes('--not-bare');
const date = new Date().toISOString();
const out = path.resolve(
  option('--out', path.join(ROOT, 'bench', 'results', `first-run-${date.slice(0, 10)}.json`)),
);

function has(command) {
  return spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
}

function dockerState() {
  // A docker client alone (some machine images ship one) is not an engine: bare means no daemon to run.
  if (!has('dockerd') && !fs.existsSync('/var/lib/docker')) return 'absent';
  const images = spawnSync('docker', ['images', '--format', '{{.Repository}}'], { encoding: 'utf8' });
  if (images.status !== 0) return 'installed, not running';
  return images.stdout.split('\n').some((name) => name.startsWith('keiko/'))
    ? 'running, with Keiko images'
    : 'running, no Keiko images';
}

async function health() {
  const answer = fetch(`http://127.0.0.1:${port}/api/health`)
    .then((response) => response.json())
    .then((body) => body.ok === true)
    .catch(() => false);
  const gaveUp = new Promise((resolve) => setTimeout(() => resolve(false), 5_000).unref());
  return Promise.race([answer, gaveUp]);
}

async function main() {
  const docker = dockerState();
  const bare = docker === 'absent';
  if (!bare && !notBare) {
    console.error(
      `time-first-run: this machine is not bare (Docker: ${docker}). Run it on a fresh machine, ` +
        'or pass --not-bare to time it anyway (recorded as not bare).',
    );
    process.exit(2);
  }
  if (await health()) {
    console.error(`time-first-run: something already answers on port ${port}; pick another with --port.`);
    process.exit(2);
  }
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'keiko-first-run-'));
  const clone = path.join(work, 'keiko');
  console.log(`[first-run] cloning ${repo} (${ref}) into ${clone}`);
  if (spawnSync('git', ['clone', '--quiet', '--no-local', repo, clone], { stdio: 'inherit' }).status !== 0)
    throw new Error('git clone failed');
  spawnSync('git', ['-C', clone, 'checkout', '--quiet', ref], { stdio: 'inherit' });

  const first = await timeUp(clone, work, 'npm-run-up.log');
  // What a developer sees every day after: the same command again, with everything in place.
  await portFreed();
  const second = await timeUp(clone, work, 'npm-run-up-again.log');
  // A server keeps its spare sandboxes for the next start of the same installation; this one (a
  // temporary data directory) has no next start, so its sandboxes go with it.
  spawnSync(process.execPath, [path.join(clone, 'cli', 'bin', 'keiko.mjs'), 'sessions', 'stop', '--all'], {
    cwd: clone,
    env: { ...process.env, KEIKO_DATA_DIR: path.join(work, 'data') },
    stdio: 'inherit',
  });
  const seconds = first.seconds;
  const phases = first.phases;
  const result = {
    date,
    machine: {
      cpus: os.cpus().length,
      cpuModel: os.cpus()[0]?.model ?? null,
      memoryGiB: Math.round(os.totalmem() / 2 ** 30),
      kernel: os.release(),
      node: process.versions.node,
    },
    bare,
    dockerBefore: docker,
    command: 'npm run up',
    seconds: Number(seconds.toFixed(1)),
    goalSeconds: 300,
    secondRunSeconds: Number(second.seconds.toFixed(1)),
    phases,
  };
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`);
  console.log(
    `[first-run] /api/health ok after ${Math.floor(seconds / 60)} min ${Math.round(seconds % 60)} s` +
      `${bare ? '' : ' (NOT a bare machine)'}; a second run: ${second.seconds.toFixed(1)} s; written to ${out}`,
  );
}

/** `npm run up` in the clone until /api/health is ok, its "[keiko] …" phases timed; then stopped. */
async function timeUp(clone, work, logName) {
  const log = path.join(work, logName);
  const logFd = fs.openSync(log, 'w');
  console.log(`[first-run] npm run up (its output: ${log})`);
  const started = Date.now();
  const phases = [];
  const child = spawn('npm', ['run', 'up'], {
    cwd: clone,
    env: { ...process.env, KEIKO_PORT: String(port), KEIKO_DATA_DIR: path.join(work, 'data') },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  // Each "[keiko] …" line is a phase of the preparation: kept with its time, to see where it goes.
  const onOutput = (chunk) => {
    fs.writeSync(logFd, chunk);
    for (const line of chunk.toString().split('\n')) {
      if (line.startsWith('[keiko] ')) {
        const at = (Date.now() - started) / 1000;
        phases.push({ atSeconds: Number(at.toFixed(1)), line: line.slice(8) });
        console.log(`[first-run] ${at.toFixed(0).padStart(4)} s  ${line.slice(8)}`);
      }
    }
  };
  child.stdout.on('data', onOutput);
  child.stderr.on('data', onOutput);
  try {
    for (;;) {
      if (child.exitCode !== null) throw new Error(`npm run up exited with ${child.exitCode}; see ${log}`);
      if (Date.now() - started > BUDGET_MS)
        throw new Error(`/api/health not ok within ${BUDGET_MS / 60_000} min; see ${log}`);
      if (await health()) break;
      await new Promise((resolve) => setTimeout(resolve, 1_000));
    }
    return { seconds: (Date.now() - started) / 1000, phases };
  } finally {
    try {
      process.kill(-child.pid, 'SIGTERM'); // the whole group: npm, prepare.mjs and keiko serve
    } catch {
      // it has exited already
    }
  }
}

/** Waits until the stopped server no longer answers, so the next run's health is its own. */
async function portFreed() {
  for (let waited = 0; waited < 30_000; waited += 500) {
    if (!(await health())) return;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error(`the first run's server still answers on port ${port} after 30 s`);
}

main().catch((error) => {
  console.error(`time-first-run: ${error.message}`);
  process.exit(1);
});
