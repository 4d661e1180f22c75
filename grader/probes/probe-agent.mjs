// Keiko's probe agent: one long-lived Node in the probe container that runs the grader's requests,
// so a check costs a line on a stream instead of a `docker exec` (and a Node start for a probe
// script). It gathers facts exactly as the one-shot probes do and decides nothing itself.
//
// Protocol: one JSON request a line on stdin, one JSON reply a line on stdout, matched by `id`.
//   {"id":1,"op":"ping"}                                    -> {"id":1,"pid":123}
//   {"id":2,"op":"exec","argv":[...],"stdin":"...","timeoutMs":5000,"maxBytes":65536}
//   {"id":3,"op":"module","source":"...","args":[...],"timeoutMs":5000,"maxBytes":65536}
//     -> {"id":2,"exitCode":0,"stdout":"...","stderr":"...","timedOut":false,"truncated":false,"durationMs":12}
// `exec` runs a program with no shell, its output captured through pipes (so nothing it prints can
// pose as a reply). `module` runs a probe script (grader/probes/*.mjs) in this Node: the script
// exports `run(args)` resolving to {exitCode, stdout, stderr}.
import { Buffer } from 'node:buffer';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { clearTimeout, setTimeout } from 'node:timers';

globalThis.keikoProbeAgent = true;
const modules = new Map();

function reply(message) {
  process.stdout.write(`${JSON.stringify(message)}\n`);
}

/** Keeps the first `max` bytes and notes whether more came. */
function capped(max) {
  const chunks = [];
  let kept = 0;
  const sink = {
    dropped: false,
    push(chunk) {
      const room = max - kept;
      if (room <= 0) {
        sink.dropped = true;
        return;
      }
      const part = chunk.length > room ? chunk.subarray(0, room) : chunk;
      if (part.length < chunk.length) sink.dropped = true;
      chunks.push(part);
      kept += part.length;
    },
    text: () => Buffer.concat(chunks).toString('utf8'),
  };
  return sink;
}

function runProgram(request) {
  const started = performance.now();
  return new Promise((resolve) => {
    const stdout = capped(request.maxBytes);
    const stderr = capped(request.maxBytes);
    let timedOut = false;
    let child;
    try {
      child = spawn(request.argv[0], request.argv.slice(1), { stdio: ['pipe', 'pipe', 'pipe'] });
    } catch (error) {
      resolve({
        exitCode: 127,
        stdout: '',
        stderr: String(error),
        timedOut,
        truncated: false,
        durationMs: 0,
      });
      return;
    }
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, request.timeoutMs);
    child.stdout.on('data', (chunk) => stdout.push(chunk));
    child.stderr.on('data', (chunk) => stderr.push(chunk));
    child.stdin.on('error', () => {});
    child.stdin.end(request.stdin ?? '');
    child.on('error', (error) => stderr.push(Buffer.from(`${error.message}\n`)));
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({
        // As the shell reports it: a program that cannot start is 127, a signal is 128 + its number.
        exitCode: timedOut ? null : (code ?? (signal ? 128 + 9 : 127)),
        stdout: stdout.text(),
        stderr: stderr.text(),
        timedOut,
        truncated: stdout.dropped || stderr.dropped,
        durationMs: performance.now() - started,
      });
    });
  });
}

async function runModule(request) {
  const started = performance.now();
  const key = createHash('sha256').update(request.source).digest('hex');
  let loaded = modules.get(key);
  if (!loaded) {
    loaded = import(`data:text/javascript;base64,${Buffer.from(request.source).toString('base64')}`);
    modules.set(key, loaded);
  }
  let timer;
  const timeout = new Promise((resolve) => {
    timer = setTimeout(
      () => resolve({ exitCode: null, stdout: '', stderr: '', timedOut: true }),
      request.timeoutMs,
    );
  });
  let outcome;
  try {
    const { run } = await loaded;
    outcome = await Promise.race([run(request.args), timeout]);
  } catch (error) {
    // A throw is a probe bug, as a crash of the one-shot script is: exit 1, no facts.
    outcome = { exitCode: 1, stdout: '', stderr: `${error?.stack ?? error}\n` };
  } finally {
    clearTimeout(timer);
  }
  const max = request.maxBytes;
  return {
    exitCode: outcome.exitCode,
    stdout: outcome.stdout.slice(0, max),
    stderr: outcome.stderr.slice(0, max),
    timedOut: outcome.timedOut === true,
    truncated: outcome.stdout.length > max || outcome.stderr.length > max,
    durationMs: performance.now() - started,
  };
}

async function handle(line) {
  let request;
  try {
    request = JSON.parse(line);
  } catch {
    process.stderr.write(`probe-agent: not JSON: ${line.slice(0, 200)}\n`);
    return;
  }
  const { id } = request;
  try {
    if (request.op === 'ping') reply({ id, pid: process.pid });
    else if (request.op === 'exec') reply({ id, ...(await runProgram(request)) });
    else if (request.op === 'module') reply({ id, ...(await runModule(request)) });
    else reply({ id, error: `unknown op ${JSON.stringify(request.op)}` });
  } catch (error) {
    reply({ id, error: String(error?.message ?? error) });
  }
}

// A stray error from a probe's socket after its verdict must not take the agent (and every later
// check) down with it.
process.on('uncaughtException', (error) => process.stderr.write(`probe-agent: ${error?.stack ?? error}\n`));
process.on('unhandledRejection', (error) => process.stderr.write(`probe-agent: ${error?.stack ?? error}\n`));
createInterface({ input: process.stdin })
  .on('line', (line) => void handle(line))
  .on('close', () => process.exit(0));
