import fs from 'node:fs';
import path from 'node:path';
import { loadLabs, type LabDefinition, type LabStep } from '@/course';
import {
  gradeStep,
  readProbeAgentSource,
  readProbeScripts,
  WarmGraderSandbox,
  type GraderSandbox,
} from '@/grader';
import { labImageTag, type SessionManager } from '@/sandbox';
import { bareDocker, bareExec, sessionContainer } from './baselines/docker';
import { median, percentile, timeRuns } from './stats';
import { benchSessionManager } from './session-manager';
import type { Benchmark, BenchRow } from './types';
import { everyStepTimes } from './every-step';
import { liveStepTimes } from './live-steps';

const RUNS = Number(process.env.BENCH_GRADER_RUNS ?? 20);
const LIVE_RUNS = Number(process.env.BENCH_LIVE_RUNS ?? 10);
/** Gradings of each step of every landed lab, failing and passing; 0 skips those rows. */
const STEP_RUNS = Number(process.env.BENCH_STEP_RUNS ?? 3);
/** `bottle-07-threads,bottle-08-daemon`: the every-step rows grade only these labs. */
const STEP_LABS = (process.env.BENCH_STEP_LABS ?? '')
  .split(',')
  .map((id) => id.trim())
  .filter(Boolean);
const root = path.resolve(import.meta.dirname, '..');
const probeScripts = readProbeScripts(root);

async function applySolutions(manager: SessionManager, sessionId: string, lab: LabDefinition, upTo: string) {
  for (const step of lab.steps) {
    const script = fs.readFileSync(path.join(lab.dir, step.solution!), 'utf8');
    const applied = await manager.exec(sessionId, {
      argv: ['bash', '-s'],
      stdin: script,
      timeoutMs: 120_000,
    });
    if (applied.exitCode !== 0) throw new Error(`the solution of ${step.id} failed: ${applied.stderr}`);
    if (step.id === upTo) return;
  }
}

/** Grades the step `RUNS` times (after one warm-up) and checks every verdict is the expected one. */
async function timeGrading(grader: GraderSandbox, sessionId: string, step: LabStep, passes: boolean) {
  // The warm-up is patient: a server a solution just started gets its retries.
  const grade = async (patient = false) => {
    const result = await gradeStep(step, grader, sessionId, probeScripts, { patient });
    if (result.passed !== passes)
      throw new Error(`${step.id} ${result.passed ? 'passed' : 'failed'}: ${JSON.stringify(result.checks)}`);
  };
  await grade(true);
  return timeRuns(RUNS, () => grade());
}

/** The raw baseline of every row: a bare `docker exec` of the same curl in the same probe. */
async function bareCurl(sessionId: string, args: string[], runs = RUNS): Promise<number[]> {
  const probe = await sessionContainer(bareDocker(), sessionId, 'probe');
  return timeRuns(runs, () => bareExec(probe, ['curl', '-s', '-o', '/dev/null', '-w', '%{json}', ...args]));
}

function rows(metric: string, ours: number[], bare: number[], withP95 = true): BenchRow[] {
  const baselineName = 'bare docker exec of the same curl in the probe';
  const out: BenchRow[] = [
    {
      metric: `${metric}, p50`,
      unit: 'ms',
      ours: median(ours),
      baseline: median(bare),
      baselineName,
      samples: RUNS,
    },
  ];
  if (withP95)
    out.push({
      metric: `${metric}, p95`,
      unit: 'ms',
      ours: percentile(ours, 95),
      baseline: percentile(bare, 95),
      baselineName,
      samples: RUNS,
    });
  return out;
}

/** The failing step with nothing listening, and one http + one tls check with and without the agent. */
async function agentRows(
  manager: SessionManager,
  grader: WarmGraderSandbox,
  demo: LabDefinition,
  log: (line: string) => void,
): Promise<BenchRow[]> {
  const out: BenchRow[] = [];
  const session = await manager.start({ labId: demo.id, image: labImageTag(demo.image), ownerId: 'bench' });
  try {
    const byId = (id: string) => demo.steps.find((s) => s.id === id)!;
    const http = byId('server').checks[0]!;
    const tls = byId('tls').checks[0]!;
    const url = 'http' in http ? http.http.url : '';

    log(`a failing step, nothing listening, ${RUNS} times`);
    const failing = await timeGrading(grader, session.id, byId('server'), false);
    out.push(
      ...rows(
        'failing step, nothing listens (http with 10 retries + process + port)',
        failing,
        await bareCurl(session.id, [url]),
      ),
    );

    await applySolutions(manager, session.id, demo, 'tls');
    const step: LabStep = { id: 'bench', title: 'bench', requires: [], checks: [http, tls] };
    log(`one http + one tls check, ${RUNS} times, warm agent`);
    const warm = await timeGrading(grader, session.id, step, true);
    log(`the same, one docker exec per check`);
    const cold = await timeGrading(manager, session.id, step, true);
    log(`bare docker exec of curl ${RUNS} times`);
    const bare = await bareCurl(session.id, [url]);
    out.push(...rows('one http + one tls check', warm, bare));
    out.push(...rows('one http + one tls check, one docker exec per check (no agent)', cold, bare, false));
  } finally {
    grader.forget(session.id);
    await manager.stop(session.id).catch(() => {});
  }
  return out;
}

/** Lesson 10's five-check https-server step, failing before its solution and passing after it. */
async function lesson10Rows(
  manager: SessionManager,
  grader: WarmGraderSandbox,
  tlsLab: LabDefinition,
  log: (line: string) => void,
): Promise<BenchRow[]> {
  const out: BenchRow[] = [];
  const lesson10 = await manager.start({
    labId: tlsLab.id,
    image: labImageTag(tlsLab.image),
    ownerId: 'bench',
  });
  try {
    const step = tlsLab.steps.find((s) => s.id === 'https-server')!;
    log(`lesson 10's https-server step (${step.checks.length} checks), failing then passing`);
    await applySolutions(manager, lesson10.id, tlsLab, 'certificate');
    const failing = await timeGrading(grader, lesson10.id, step, false);
    await applySolutions(manager, lesson10.id, tlsLab, 'https-server');
    const passing = await timeGrading(grader, lesson10.id, step, true);
    const bare = await bareCurl(lesson10.id, [
      '-k',
      '--http2',
      '--resolve',
      'bottle.test:8443:127.0.0.1',
      'https://bottle.test:8443/hello/tls',
    ]);
    const label = `lesson 10 https-server (${step.checks.length} checks)`;
    out.push(...rows(`${label}, failing before its solution`, failing, bare));
    out.push(...rows(`${label}, passing`, passing, bare));
  } finally {
    grader.forget(lesson10.id);
    await manager.stop(lesson10.id).catch(() => {});
  }
  return out;
}

/** Lesson 1's first step on the live path: the learner's command finished to the passing step event. */
async function liveRows(manager: SessionManager, log: (line: string) => void): Promise<BenchRow[]> {
  const out: BenchRow[] = [];
  const { live, bare } = await liveStepTimes(manager, root, LIVE_RUNS, log);
  const label = "lesson 1 step 1 live: the learner's command finished to the step event saying green";
  out.push(
    {
      metric: `${label}, p50`,
      unit: 'ms',
      ours: median(live),
      baseline: median(bare),
      baselineName: 'bare docker exec of the same curl in the probe',
      samples: LIVE_RUNS,
    },
    {
      metric: `${label}, p95`,
      unit: 'ms',
      ours: percentile(live, 95),
      baseline: percentile(bare, 95),
      baselineName: 'bare docker exec of the same curl in the probe',
      samples: LIVE_RUNS,
    },
  );
  return out;
}

/**
 * Grading as a learner meets it, through the warm probe agent the platform uses, each row beside a
 * bare `docker exec` of the same curl in the same probe container: a failing step with nothing
 * listening (its checks allow 10 retries), a passing http + tls step (and the same through one
 * `docker exec` per check, as before the agent), lesson 10's five-check step, and lesson 1's first
 * step on the live path (command finished in the terminal to the passing step event).
 */
const benchmark: Benchmark = {
  name: 'grader',
  description: `grading steps through the warm probe agent (p50/p95 of ${RUNS}) and the live path (of ${LIVE_RUNS}), vs a bare docker exec of curl`,
  async run(log) {
    const labs = [
      ...loadLabs(path.join(root, 'tests', 'fixtures', 'labs')),
      ...loadLabs(path.join(root, 'labs')),
    ];
    const demo = labs.find((l) => l.id === 'grading-demo')!;
    const tlsLab = labs.find((l) => l.id === 'bottle-10-tls')!;
    const { manager } = benchSessionManager();
    const grader = new WarmGraderSandbox(manager, readProbeAgentSource(root));
    const out: BenchRow[] = [];
    if (RUNS > 0)
      out.push(
        ...(await agentRows(manager, grader, demo, log)),
        ...(await lesson10Rows(manager, grader, tlsLab, log)),
      );
    if (LIVE_RUNS > 0) out.push(...(await liveRows(manager, log)));
    if (STEP_RUNS > 0) {
      const steps = await everyStepTimes(manager, root, STEP_RUNS, log, STEP_LABS);
      log(`the slowest gradings: ${steps.slowest.join('; ')}`);
      const probe = await manager.start({
        labId: demo.id,
        image: labImageTag(demo.image),
        ownerId: 'bench',
      });
      try {
        const bare = await bareCurl(probe.id, ['http://127.0.0.1:8080/'], Math.max(RUNS, 10));
        for (const [name, times] of [
          ['failing', steps.failing],
          ['passing', steps.passing],
        ] as const) {
          for (const p of [50, 95] as const)
            out.push({
              metric: `every step of ${STEP_LABS.length ? STEP_LABS.join(' and ') : 'the landed labs'}, ${name} (${times.length} gradings), p${p}`,
              unit: 'ms',
              ours: percentile(times, p),
              baseline: percentile(bare, p),
              baselineName: 'bare docker exec of the same curl in the probe',
              samples: times.length,
            });
          // "Every step under 1 s at p95" is per step: the worst step's own p95, named.
          const worst = steps.byStep
            .map((entry) => ({ step: entry.step, p95: percentile(entry[name], 95), n: entry[name].length }))
            .reduce((a, b) => (b.p95 > a.p95 ? b : a));
          out.push({
            metric: `the slowest step's own p95, ${name}: ${worst.step}`,
            unit: 'ms',
            ours: worst.p95,
            baseline: percentile(bare, 95),
            baselineName: 'bare docker exec of the same curl in the probe',
            samples: worst.n,
          });
        }
      } finally {
        await manager.stop(probe.id).catch(() => {});
      }
    }
    return out;
  },
};

export default benchmark;
