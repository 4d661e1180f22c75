import fs from 'node:fs';
import path from 'node:path';
import { loadLabs, type LabStep } from '@/course';
import { gradeStep } from '@/grader';
import { readProbeScripts } from '@/grader';
import { labImageTag } from '@/sandbox';
import { bareDocker, bareExec, sessionContainer } from './baselines/docker';
import { median, timeRuns } from './stats';
import { benchSessionManager } from './session-manager';
import type { Benchmark } from './types';

const RUNS = Number(process.env.BENCH_GRADER_RUNS ?? 20);

/**
 * Grading one step with one `http` and one `tls` check (the grading-demo lab's servers running),
 * beside a bare `docker exec` of the same curl command in the same probe container.
 */
const benchmark: Benchmark = {
  name: 'grader',
  description: `a step with one http and one tls check, median of ${RUNS}, vs a bare docker exec of curl`,
  async run(log) {
    const root = path.resolve(import.meta.dirname, '..');
    const lab = loadLabs(path.join(root, 'tests', 'fixtures', 'labs')).find((l) => l.id === 'grading-demo')!;
    const { manager } = benchSessionManager();
    const session = await manager.start({ labId: lab.id, image: labImageTag(lab.image), ownerId: 'bench' });
    try {
      for (const step of lab.steps) {
        const script = fs.readFileSync(path.join(lab.dir, step.solution!), 'utf8');
        await manager.exec(session.id, { argv: ['bash', '-s'], stdin: script });
      }
      const byId = (id: string) => lab.steps.find((s) => s.id === id)!;
      const http = byId('server').checks[0]!;
      const tls = byId('tls').checks[0]!;
      const step: LabStep = { id: 'bench', title: 'bench', requires: [], checks: [http, tls] };
      const probeScripts = readProbeScripts(root);
      const warm = await gradeStep(step, manager, session.id, probeScripts); // servers up, caches warm
      if (!warm.passed) throw new Error(`the step does not pass: ${JSON.stringify(warm.checks)}`);
      log(`grading ${RUNS} times`);
      const ours = await timeRuns(RUNS, async () => {
        const result = await gradeStep(step, manager, session.id, probeScripts);
        if (!result.passed) throw new Error('the step failed during the benchmark');
      });
      log(`bare docker exec of curl ${RUNS} times`);
      const probe = await sessionContainer(bareDocker(), session.id, 'probe');
      const url = 'http' in http ? http.http.url : '';
      const bare = await timeRuns(RUNS, () =>
        bareExec(probe, ['curl', '-s', '-o', '/dev/null', '-w', '%{json}', url]),
      );
      return [
        {
          metric: 'one http + one tls check',
          unit: 'ms',
          ours: median(ours),
          baseline: median(bare),
          baselineName: 'bare docker exec of the same curl',
          samples: RUNS,
        },
      ];
    } finally {
      await manager.stop(session.id).catch(() => {});
    }
  },
};

export default benchmark;
