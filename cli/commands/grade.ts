import type { LabDefinition } from '@/course';
import type { StepResult } from '@/grader';
import { createPlatform, type Platform } from '@/platform';
import { describeError } from '@/sandbox';
import { CliError } from '../errors';
import { PROJECT_ROOT } from '../project-root';

const GRADER_OWNER = 'keiko-cli';

function requireLab(platform: Platform, labId: string): LabDefinition {
  const lab = platform.learnerLabs.lab(labId);
  if (!lab) {
    const known = platform.learnerLabs.labs().map((l) => l.id);
    throw new CliError(`no lab "${labId}"; known: ${known.join(', ') || '(none)'}`, 2);
  }
  return lab;
}

/** A fresh sandbox for the lab, handed to `work`, and removed afterwards whatever happens. */
async function withFreshSession<T>(
  platform: Platform,
  lab: LabDefinition,
  work: (sessionId: string) => Promise<T>,
): Promise<T> {
  const owner = `${GRADER_OWNER}-${Date.now().toString(36)}`;
  const { session } = await platform.learnerLabs.startOrResume(lab.id, owner);
  try {
    return await work(session.id);
  } finally {
    await platform.sandboxes.stop(session.id, 'graded by the CLI').catch(() => {});
  }
}

function printStep(result: StepResult, title: string): void {
  console.log(`${result.passed ? 'PASS' : 'FAIL'}  ${result.stepId}: ${title} (${result.durationMs} ms)`);
  for (const check of result.checks) {
    console.log(`      ${check.passed ? 'ok  ' : 'FAIL'} ${check.message}`);
    if (!check.passed && check.command) console.log(`           try: ${check.command}`);
  }
}

/** `keiko grade LAB [--solve] [--json]`: exit 0 all steps passed, 1 some failed, 2 could not run. */
export async function grade(labId: string, options: { solve: boolean; json: boolean }): Promise<number> {
  const platform = createPlatform({ rootDir: PROJECT_ROOT, holder: 'grade' });
  try {
    const lab = requireLab(platform, labId);
    let results: StepResult[];
    try {
      results = await withFreshSession(platform, lab, async (sessionId) => {
        const session = platform.sandboxes.get(sessionId)!;
        const out: StepResult[] = [];
        for (const step of lab.steps) {
          if (options.solve && step.solution) await platform.learnerLabs.solveStep(session, step.id);
          // After a solution a server may still be starting: wait out every retry the check allows.
          out.push(await platform.learnerLabs.checkStep(session, step.id, { patient: options.solve }));
        }
        return out;
      });
    } catch (error) {
      if (error instanceof CliError) throw error;
      throw new CliError(`could not grade ${labId}: ${describeError(error)}`, 2);
    }
    const passed = results.every((result) => result.passed);
    if (options.json) console.log(JSON.stringify({ labId, passed, steps: results }, null, 2));
    else
      for (const result of results)
        printStep(result, lab.steps.find((s) => s.id === result.stepId)?.title ?? '');
    return passed ? 0 : 1;
  } finally {
    await platform.close();
  }
}

/**
 * `keiko test-labs [LAB…]`: proves each lab's grader on a fresh sandbox. Every step must fail before
 * its solution, pass after it, and every earlier step must still pass.
 */
export async function testLabs(labIds: string[]): Promise<number> {
  const platform = createPlatform({ rootDir: PROJECT_ROOT, holder: 'test-labs' });
  try {
    const labs = labIds.length ? labIds.map((id) => requireLab(platform, id)) : platform.learnerLabs.labs();
    const problems: string[] = [];
    for (const lab of labs) {
      const before = problems.length;
      await withFreshSession(platform, lab, async (sessionId) => {
        const session = platform.sandboxes.get(sessionId)!;
        for (const [index, step] of lab.steps.entries()) {
          if (step.checks.length === 0) continue;
          if (!step.solution) {
            problems.push(`${lab.id}/${step.id}: has checks but no solution`);
            continue;
          }
          const fresh = await platform.learnerLabs.checkStep(session, step.id);
          if (fresh.passed)
            problems.push(`${lab.id}/${step.id}: passes before its solution ran (the check proves nothing)`);
          await platform.learnerLabs.solveStep(session, step.id);
          for (const earlier of lab.steps.slice(0, index + 1)) {
            if (earlier.checks.length === 0) continue;
            const after = await platform.learnerLabs.checkStep(session, earlier.id, { patient: true });
            if (!after.passed) {
              const why = after.checks
                .filter((c) => !c.passed)
                .map((c) => c.message)
                .join(' ');
              problems.push(`${lab.id}/${earlier.id}: fails after the solution of ${step.id}: ${why}`);
            }
          }
        }
      }).catch((error: unknown) => problems.push(`${lab.id}: could not run: ${describeError(error)}`));
      console.log(`${problems.length === before ? 'ok  ' : 'FAIL'}  ${lab.id} (${lab.steps.length} steps)`);
    }
    for (const problem of problems) console.error(`  - ${problem}`);
    return problems.length === 0 ? 0 : 1;
  } finally {
    await platform.close();
  }
}
