#!/usr/bin/env node
// The preparation behind the README's two commands. Runs on a bare machine with only Node and npm,
// before any `npm install`, so it uses nothing but Node's own modules:
//   npm run up  -> prepare, then serve the platform on KEIKO_PORT (default 3000)
//   npm test    -> prepare (plus Chromium for the browser tests), then the test runner
// Each step checks first and does nothing when its work is already done, so a second run is fast.
// Steps run side by side where nothing orders them (see main): npm's packages, then compiling its
// native modules (CPU), beside apt and the Docker engine (network, disk), then the images beside
// `next build`. Each says one line when it starts, with the log file its output goes to, one when it
// ends, and the last lines of its log when it fails.
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const MODE = process.argv.includes('--serve')
  ? 'serve'
  : process.argv.includes('--dev')
    ? 'dev'
    : process.argv.includes('--test')
      ? 'test'
      : 'prepare';
const DATA_DIR = path.resolve(ROOT, process.env.KEIKO_DATA_DIR || 'data');
const LOG_DIR = path.join(DATA_DIR, 'logs');
const MIN_NODE_MAJOR = 20;
// Everything the production build of the web app is made from; a change here means `next build`.
// (Lessons and labs are data the server reads, compiled by `keiko lessons build`, not by Next.)
const BUILD_INPUTS = [
  'app',
  'platform',
  'sandbox',
  'store',
  'course',
  'grader',
  'next.config.ts',
  'tsconfig.json',
  'package-lock.json',
];

const say = (message) => console.log(`[keiko] ${message}`);
// The closed network here cannot reach Next.js's telemetry endpoint; never try.
process.env.NEXT_TELEMETRY_DISABLED = '1';

class PrepareError extends Error {}

function fail(message) {
  throw new PrepareError(message);
}

function run(command, args, options = {}) {
  const result = spawnSync(command, args, { cwd: ROOT, stdio: 'inherit', ...options });
  if (result.error) fail(`${command} could not start: ${result.error.message}`);
  return result.status ?? 1;
}

function has(command) {
  return spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
}

function checkNode() {
  const major = Number(process.versions.node.split('.')[0]);
  if (major < MIN_NODE_MAJOR)
    fail(`Node ${process.versions.node} is too old: install Node ${MIN_NODE_MAJOR} or newer.`);
}

function fileHash(file) {
  return fs.existsSync(file) ? createHash('sha256').update(fs.readFileSync(file)).digest('hex') : 'none';
}

/**
 * True when node_modules already holds exactly what package-lock.json pins: npm records what it
 * installed in node_modules/.package-lock.json. A developer's own `npm install` then needs no
 * `npm ci` (which would empty node_modules under anything running from it, a test run included).
 */
function installedMatchesLock() {
  const hidden = path.join(ROOT, 'node_modules', '.package-lock.json');
  if (!fs.existsSync(hidden)) return false;
  try {
    const wanted = JSON.parse(fs.readFileSync(path.join(ROOT, 'package-lock.json'), 'utf8')).packages ?? {};
    const installed = JSON.parse(fs.readFileSync(hidden, 'utf8')).packages ?? {};
    return Object.entries(wanted).every(
      ([name, entry]) =>
        name === '' || installed[name]?.version === entry.version || (entry.optional && !installed[name]),
    );
  } catch {
    return false;
  }
}

/**
 * npm's packages in two steps, so that what needs only their files can start before the second:
 * `npm ci --ignore-scripts` (download and unpack), then `npm rebuild`, which runs the install scripts
 * npm ci would have run (better-sqlite3 compiles from source here: the longest part). The image build
 * needs only the first (`keiko images build` opens no store), `next build` and the server need both.
 */
function ensureNpmDependencies() {
  const stamp = path.join(ROOT, 'node_modules', '.keiko-lock-hash');
  // Written between the two steps: a run stopped there compiles on the next run instead of trusting
  // a node_modules whose native modules were never built.
  const scriptsPending = path.join(ROOT, 'node_modules', '.keiko-scripts-pending');
  const lockHash = fileHash(path.join(ROOT, 'package-lock.json'));
  const done = Promise.resolve();
  const pending = fs.existsSync(scriptsPending);
  if (!pending && fs.existsSync(stamp) && fs.readFileSync(stamp, 'utf8') === lockHash)
    return { unpacked: done, compiled: done };
  if (!pending && installedMatchesLock()) {
    fs.writeFileSync(stamp, lockHash);
    return { unpacked: done, compiled: done };
  }
  const unpacked = pending
    ? done
    : step('installing npm packages (npm ci --ignore-scripts)', 'npm.log', 'npm', [
        'ci',
        '--ignore-scripts',
        '--no-audit',
        '--no-fund',
      ]).then(() => fs.writeFileSync(scriptsPending, lockHash));
  const compiled = unpacked
    .then(() => step("compiling npm packages' native modules (npm rebuild)", 'npm.log', 'npm', ['rebuild']))
    .then(() => {
      fs.writeFileSync(stamp, lockHash);
      fs.rmSync(scriptsPending, { force: true });
    });
  return { unpacked, compiled };
}

// --- system packages -------------------------------------------------------------------------------

let aptUpdated = false;
function isDebianRoot() {
  return process.getuid?.() === 0 && fs.existsSync('/etc/debian_version') && has('apt-get');
}

async function installDebianPackages(packages, why) {
  if (!isDebianRoot()) {
    fail(
      `${why} needs the Debian packages ${packages.join(', ')}, and this is not Debian run as root.\n` +
        `Install them yourself (for example: sudo apt-get install ${packages.join(' ')}) and run again.`,
    );
  }
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  if (!aptUpdated) {
    await step('apt-get update', 'apt.log', 'apt-get', ['update'], { env });
    aptUpdated = true;
  }
  await step(
    `installing ${packages.join(', ')} for ${why}`,
    'apt.log',
    'apt-get',
    ['install', '-y', '-q', '--no-install-recommends', ...packages],
    { env },
  );
}

// --- the Docker engine ---------------------------------------------------------------------------

function engineSocket() {
  const host = process.env.DOCKER_HOST;
  if (!host) return '/var/run/docker.sock';
  return host.startsWith('unix://') ? host.slice('unix://'.length) : undefined;
}

function pingEngine() {
  const host = process.env.DOCKER_HOST;
  const target = host && !host.startsWith('unix://') ? new URL(host.replace(/^tcp:/, 'http:')) : undefined;
  return new Promise((resolve) => {
    const request = http.get(
      target
        ? { host: target.hostname, port: target.port || 2375, path: '/_ping', timeout: 3000 }
        : { socketPath: engineSocket(), path: '/_ping', timeout: 3000 },
      (response) => {
        response.resume();
        resolve(response.statusCode === 200);
      },
    );
    request.on('error', () => resolve(false));
    request.on('timeout', () => request.destroy());
  });
}

async function ensureEngine() {
  if (await pingEngine()) {
    if (!has('debootstrap') && isDebianRoot())
      await installDebianPackages(['debootstrap'], 'bootstrapping the base image');
    return;
  }
  const socket = engineSocket();
  if (socket !== '/var/run/docker.sock') {
    fail(
      `the Docker engine at DOCKER_HOST=${process.env.DOCKER_HOST} does not answer. Start it, or unset DOCKER_HOST to let Keiko start a local one.`,
    );
  }
  // One apt run for both: debootstrap makes the base image where no registry answers (base-image.ts).
  const needed = [
    ...(has('dockerd') ? [] : ['docker.io']),
    ...(has('debootstrap') || !isDebianRoot() ? [] : ['debootstrap']),
  ];
  if (needed.length) await installDebianPackages(needed, 'the Docker engine and its base image');
  if (process.getuid?.() !== 0) {
    fail(
      'no Docker engine answers on /var/run/docker.sock, and starting one needs root.\n' +
        'Start it yourself (sudo systemctl start docker, or sudo dockerd &) and run again.',
    );
  }
  const log = path.join(LOG_DIR, 'dockerd.log');
  const out = fs.openSync(log, 'a');
  say(`starting dockerd in the background (log: ${shown(log)})`);
  // Detached, in its own session, with its output in a file: nothing holds this command's pipes.
  const child = spawn('dockerd', [], { detached: true, stdio: ['ignore', out, out] });
  child.unref();
  fs.closeSync(out);
  for (let waited = 0; waited < 60_000; waited += 500) {
    if (await pingEngine()) return say('Docker engine is up');
    if (child.exitCode !== null) break;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  fail(`dockerd did not come up; the end of ${log} says why:\n${tail(log, 15)}`);
}

/** A path as short as it can be said: relative inside the project, absolute outside it. */
function shown(file) {
  const relative = path.relative(ROOT, file);
  return relative.startsWith('..') ? file : relative;
}

function tail(file, lines) {
  return fs.existsSync(file)
    ? fs.readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n')
    : '(no log)';
}

// --- images and the web build ----------------------------------------------------------------------

/** Like run, without blocking: the images and the web app build at the same time. */
function runAsync(command, args, options = {}) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: ROOT, stdio: 'inherit', ...options });
    child.once('error', (error) => {
      say(`${command} could not start: ${error.message}`);
      resolve(1);
    });
    child.once('exit', (code) => resolve(code ?? 1));
  });
}

/**
 * Runs one step with its output in LOG_DIR/logName: a line when it starts (with the log's path), one
 * when it ends with its duration, and the log's last lines when it fails.
 */
async function step(title, logName, command, args, options = {}) {
  const log = path.join(LOG_DIR, logName);
  const out = fs.openSync(log, 'a');
  const started = Date.now();
  say(`${title} (log: ${shown(log)})`);
  const code = await runAsync(command, args, { stdio: ['ignore', out, out], ...options });
  fs.closeSync(out);
  if (code !== 0) fail(`${title} failed; the end of ${shown(log)} says why:\n${tail(log, 20)}`);
  say(`${title}: done in ${seconds(started)} s`);
}

function seconds(since) {
  return ((Date.now() - since) / 1000).toFixed(0);
}

async function buildImages() {
  say('making sure the base and lab images are built');
  const code = await runAsync(process.execPath, [
    path.join(ROOT, 'cli', 'bin', 'keiko.mjs'),
    'images',
    'build',
  ]);
  if (code !== 0) fail('building the images failed; the output above says why.');
}

function treeHash() {
  const hash = createHash('sha256');
  const walk = (relative) => {
    const full = path.join(ROOT, relative);
    if (!fs.existsSync(full)) return;
    const stat = fs.statSync(full);
    if (stat.isDirectory()) {
      for (const name of fs.readdirSync(full).sort()) walk(path.join(relative, name));
    } else if (stat.isFile()) {
      hash.update(`${relative}\0`).update(fs.readFileSync(full));
    }
  };
  for (const input of BUILD_INPUTS) walk(input);
  return hash.digest('hex');
}

/**
 * `next build`, while the images build: its output goes to a log file (the image display owns the
 * terminal), one line when it starts and one when it ends, and its log's last lines if it fails.
 */
async function buildWebApp() {
  const stamp = path.join(ROOT, '.next', 'keiko-build-stamp');
  const inputs = treeHash();
  if (
    fs.existsSync(path.join(ROOT, '.next', 'BUILD_ID')) &&
    fs.existsSync(stamp) &&
    fs.readFileSync(stamp, 'utf8') === inputs
  ) {
    return say('the web app build is up to date');
  }
  fs.mkdirSync(LOG_DIR, { recursive: true });
  const log = path.join(LOG_DIR, 'next-build.log');
  const out = fs.openSync(log, 'w');
  const started = Date.now();
  say(`building the web app beside the images (next build, a minute or two; log: ${shown(log)})`);
  const code = await runAsync(
    process.execPath,
    [path.join(ROOT, 'node_modules', 'next', 'dist', 'bin', 'next'), 'build'],
    { stdio: ['ignore', out, out] },
  );
  fs.closeSync(out);
  if (code !== 0) fail(`next build failed; the end of ${log} says why:\n${tail(log, 30)}`);
  say(`the web app is built (${((Date.now() - started) / 1000).toFixed(0)} s)`);
  fs.writeFileSync(stamp, inputs);
}

function buildLessons(strict) {
  say('compiling the lessons');
  if (run(process.execPath, [path.join(ROOT, 'cli', 'bin', 'keiko.mjs'), 'lessons', 'build']) !== 0) {
    if (strict)
      fail('a lesson does not compile; `npx keiko lint` shows every problem with its file and line.');
    say(
      'a lesson does not compile; the development server shows the rest (`npx keiko lint` lists the problems).',
    );
  }
}

async function ensureChromium() {
  if (fs.existsSync('/usr/bin/chromium')) return;
  await installDebianPackages(['chromium'], 'the browser tests');
}

function serve(dev) {
  const child = spawn(
    process.execPath,
    [path.join(ROOT, 'cli', 'bin', 'keiko.mjs'), 'serve', ...(dev ? ['--dev'] : [])],
    {
      cwd: ROOT,
      stdio: 'inherit',
    },
  );
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
  child.on('exit', (code) => process.exit(code ?? 1));
}

async function main() {
  const started = Date.now();
  checkNode();
  fs.mkdirSync(DATA_DIR, { recursive: true, mode: 0o700 }); // it holds the server secret: owner only
  fs.mkdirSync(LOG_DIR, { recursive: true });
  // What waits for what; everything else runs side by side. npm is network then CPU, apt and the
  // engine are network and disk, the images are apt and dpkg in containers, next build is CPU.
  const npm = ensureNpmDependencies();
  const engine = ensureEngine();
  const browser = MODE === 'test' ? engine.then(ensureChromium) : undefined;
  const images = Promise.all([npm.unpacked, engine]).then(buildImages);
  const web = MODE !== 'dev' ? npm.compiled.then(buildWebApp) : undefined;
  const results = await Promise.allSettled([npm.unpacked, npm.compiled, engine, browser, images, web]);
  // A step that waited on a failed one fails with the same error: say each cause once.
  const causes = new Set(results.flatMap((result) => (result.status === 'rejected' ? [result.reason] : [])));
  if (causes.size > 1) for (const cause of [...causes].slice(1)) report(cause);
  if (causes.size) throw [...causes][0];
  buildLessons(MODE !== 'dev');
  say(`ready in ${((Date.now() - started) / 1000).toFixed(1)} s on ${os.hostname()}`);
  if (MODE === 'serve' || MODE === 'dev') serve(MODE === 'dev');
}

function report(error) {
  console.error(`[keiko] ${error instanceof PrepareError ? error.message : (error?.stack ?? error)}`);
}

main().catch((error) => {
  report(error);
  process.exit(1);
});
