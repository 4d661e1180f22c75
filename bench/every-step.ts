import { gradeStep, justStarted, readProbeScripts, STARTING_WINDOW_MS } from '@/grader';
import type { SessionManager } from '@/sandbox';
import { benchLearnerLabs } from './learner-labs';
import { timeRuns } from './stats';

/**
 * Every step of every landed lab (labs/), or of the labs `labIds` names, graded as a learner's Check
 * is: `runs` times on the state the earlier solutions leave (failing), then `runs` times after its
 * own solution (passing, once the server it starts answers). Returns every grading's time, failing
 * and passing apart, and each step's; logs each step's times as it goes.
 *
 * The failing runs start once nothing in the lab started within the last few seconds: a Check asked
 * while a server starts waits for it on purpose (grader/still-starting.ts), and that wait is the
 * server's start-up, not the grader's verdict time.
 */
export async function everyStepTimes(
  manager: SessionManager,
  root: string,
  runs: number,
  log: (line: string) => void,
  labIds: readonly string[] = [],
): Promise<{ failing: number[]; passing: number[]; slowest: string[]; byStep: StepTimes[] }> {
  const probeScripts = readProbeScripts(root);
  const { learnerLabs, store } = benchLearnerLabs(manager, root, 'steps');
  const failing: number[] = [];
  const passing: number[] = [];
  const perStep: { label: string; ms: number }[] = [];
  const byStep: StepTimes[] = [];
  const unknown = labIds.filter((id) => !learnerLabs.lab(id));
  if (unknown.length) throw new Error(`no lab named ${unknown.join(', ')} in labs/`);
  const labs = learnerLabs.labs().filter((lab) => labIds.length === 0 || labIds.includes(lab.id));
  try {
    for (const lab of labs) {
      log(`every step: ${lab.id}`);
      const { session: view } = await learnerLabs.startOrResume(lab.id, 'bench-steps');
      const session = manager.get(view.id)!;
      // As when the learner opens the lesson page (live-steps.ts): the grader is ready before a Check.
      await learnerLabs.grader.warm(session.id);
      try {
        for (const step of lab.steps) {
          if (step.checks.length === 0 || !step.solution) continue;
          const times: StepTimes = { step: `${lab.id}/${step.id}`, failing: [], passing: [] };
          byStep.push(times);
          const grade = async (into: number[], label: 'failing' | 'passing') => {
            const result = await gradeStep(step, learnerLabs.grader, session.id, probeScripts);
            const ms = result.durationMs;
            // A slow verdict says why in the log: which checks failed, and how.
            if (ms > 1000)
              log(
                `${lab.id}/${step.id} ${label} took ${ms} ms: ${result.checks
                  .map((check) => `${check.passed ? 'ok' : (check.failure ?? 'failed')} ${check.name}`)
                  .join('; ')}`,
              );
            into.push(ms);
            times[label].push(ms);
            perStep.push({ label: `${lab.id}/${step.id} ${label}`, ms });
            return result.passed;
          };
          await settled(manager, session.id);
          await timeRuns(runs, async () => {
            await grade(failing, 'failing');
          });
          await learnerLabs.solveStep(session, step.id);
          // Once, patiently: the server the solution started answers before the timed runs.
          await gradeStep(step, learnerLabs.grader, session.id, probeScripts, { patient: true });
          await timeRuns(runs, async () => {
            if (!(await grade(passing, 'passing')))
              throw new Error(`${lab.id}/${step.id} fails after its solution`);
          });
          log(
            `${lab.id}/${step.id}: failing ${times.failing.join(', ')} ms; passing ${times.passing.join(', ')} ms`,
          );
        }
      } finally {
        learnerLabs.grader.forget(session.id);
        await manager.stop(session.id).catch(() => {});
      }
    }
  } finally {
    store.close();
  }
  const slowest = perStep
    .sort((a, b) => b.ms - a.ms)
    .slice(0, 12)
    .map((entry) => `${entry.label} ${entry.ms} ms`);
  return { failing, passing, slowest, byStep };
}

/** One step's grading times, failing and passing. */
export interface StepTimes {
  step: string;
  failing: number[];
  passing: number[];
}

/** Waits until no process of the lab is still in its starting window (bounded by that window). */
async function settled(manager: SessionManager, sessionId: string): Promise<void> {
  const until = performance.now() + STARTING_WINDOW_MS + 1_000;
  while (performance.now() < until && justStarted(await manager.processes(sessionId)))
    await new Promise((resolve) => setTimeout(resolve, 250));
}
