import os from 'node:os';
import { defaultPlatformLimits, StartAdmission, WarmPool, labImageTag, type SandboxSession } from '@/sandbox';
import { bareDocker, bareMemoryBytes, bareStartAndExec } from './baselines/docker';
import { median } from './stats';
import { benchSessionManager } from './session-manager';
import type { Benchmark } from './types';

const IMAGE = labImageTag(process.env.BENCH_IMAGE ?? 'bottle');
const RUNS = Number(process.env.BENCH_START_RUNS ?? 20);
const BURST = Number(process.env.BENCH_BURST ?? 50);

/** Runs `work` and records how long after `since` it ended. */
async function timedFrom<T>(since: number, work: () => Promise<T>, into: number[]): Promise<T> {
  const result = await work();
  into.push(performance.now() - since);
  return result;
}

/**
 * From "start session" to "a shell in it answers": cold, from the warm pool, and 50 at once; and
 * the memory an idle session holds. Each beside bare dockerode create+start+exec of the same image.
 */
const benchmark: Benchmark = {
  name: 'sandbox-start',
  description: `session start to first answer on ${IMAGE}, cold, warm pool, ${BURST} at once; idle memory`,
  async run(log) {
    const { manager } = benchSessionManager();
    const docker = bareDocker();
    const startAndAnswer = async (): Promise<SandboxSession> => {
      const session = await manager.start({ labId: 'bench', image: IMAGE, ownerId: 'bench' });
      const answer = await manager.exec(session.id, { argv: ['echo', 'ready'] });
      if (answer.stdout !== 'ready\n') throw new Error('the shell did not answer');
      return session;
    };
    try {
      await manager.stop((await startAndAnswer()).id); // warms the image's seed cache, as a running server has it
      log(`cold: ${RUNS} starts`);
      const cold: number[] = [];
      for (let i = 0; i < RUNS; i += 1) {
        const started = performance.now();
        const session = await startAndAnswer();
        cold.push(performance.now() - started);
        await manager.stop(session.id);
      }
      log(`baseline: ${RUNS} bare create+start+exec`);
      const bareOnly: number[] = [];
      for (let i = 0; i < RUNS; i += 1) {
        const started = performance.now();
        const container = await bareStartAndExec(docker, IMAGE);
        bareOnly.push(performance.now() - started);
        await container.remove({ force: true });
      }

      log(`warm pool: ${RUNS} starts`);
      const pool = new WarmPool(manager, { [IMAGE]: 1 });
      const warm: number[] = [];
      for (let i = 0; i < RUNS; i += 1) {
        await pool.fillAll();
        const started = performance.now();
        const session = await startAndAnswer();
        warm.push(performance.now() - started);
        await pool.fillAll();
        await manager.stop(session.id);
      }
      await pool.drain();

      log(`burst: ${BURST} sessions at once`);
      const burstStarted = performance.now();
      // Each learner's own wait too: in a fair queue the first are served at the engine's pace.
      const waits: number[] = [];
      // Through the platform's own admission (what POST /api/labs/{id}/sessions does): a few created at
      // once, the rest waiting in arrival order; its limits widened only so that none is refused.
      const limits = defaultPlatformLimits(os.totalmem());
      const admission = new StartAdmission({
        ...limits,
        ...(process.env.BENCH_CONCURRENT_STARTS
          ? { concurrentStarts: Number(process.env.BENCH_CONCURRENT_STARTS) }
          : {}),
        liveSessions: BURST * 2,
        queuedStarts: BURST,
      });
      const admitted = async (): Promise<SandboxSession> => {
        const done = await admission.admit(0, undefined);
        let session: SandboxSession;
        try {
          session = await manager.start({ labId: 'bench', image: IMAGE, ownerId: 'bench' });
        } catch (error) {
          done();
          throw error;
        }
        // The turn ends once the probe, starting in the background, has too, as in platform/learner-labs.ts.
        void manager.probeSettled(session.id).finally(done);
        const answer = await manager.exec(session.id, { argv: ['echo', 'ready'] });
        if (answer.stdout !== 'ready\n') throw new Error('the shell did not answer');
        return session;
      };
      log(`(${process.env.BENCH_CONCURRENT_STARTS ?? limits.concurrentStarts} created at once)`);
      const sessions = await Promise.all(
        Array.from({ length: BURST }, () => timedFrom(burstStarted, admitted, waits)),
      );
      const burstMs = performance.now() - burstStarted;
      await new Promise((resolve) => setTimeout(resolve, 5_000)); // let them settle into idle
      const memory: number[] = [];
      for (const session of sessions) {
        const [lab, probe] = await Promise.all([
          manager.usage(session.id, 'lab'),
          manager.usage(session.id, 'probe'),
        ]);
        memory.push(lab.memoryBytes + probe.memoryBytes);
      }
      await Promise.all(sessions.map((session) => manager.stop(session.id)));

      const bareBurstStarted = performance.now();
      const bareWaits: number[] = [];
      const bares = await Promise.all(
        Array.from({ length: BURST }, () =>
          timedFrom(bareBurstStarted, () => bareStartAndExec(docker, IMAGE), bareWaits),
        ),
      );
      const bareBurstMs = performance.now() - bareBurstStarted;
      await new Promise((resolve) => setTimeout(resolve, 5_000));
      const bareMemory: number[] = [];
      for (const container of bares) bareMemory.push(await bareMemoryBytes(container));
      await Promise.all(bares.map((container) => container.remove({ force: true })));

      const MB = 1024 * 1024;
      return [
        {
          metric: 'start to answer, cold',
          unit: 'ms',
          ours: median(cold),
          baseline: median(bareOnly),
          baselineName: 'bare dockerode create+start+exec',
          samples: RUNS,
        },
        {
          metric: 'start to answer, warm pool',
          unit: 'ms',
          ours: median(warm),
          baseline: median(bareOnly),
          baselineName: 'bare dockerode create+start+exec',
          samples: RUNS,
        },
        {
          metric: `${BURST} starts at once, all answered`,
          unit: 's',
          ours: burstMs / 1000,
          baseline: bareBurstMs / 1000,
          baselineName: `${BURST} bare create+start+exec at once`,
          samples: 1,
        },
        {
          metric: `${BURST} starts at once, median learner's wait`,
          unit: 's',
          ours: median(waits) / 1000,
          baseline: median(bareWaits) / 1000,
          baselineName: `${BURST} bare create+start+exec at once`,
          samples: BURST,
        },
        {
          metric: 'memory per idle session (lab + probe cgroups)',
          unit: 'MB',
          ours: median(memory) / MB,
          baseline: median(bareMemory) / MB,
          baselineName: 'idle bare container of the image',
          samples: BURST,
        },
      ];
    } finally {
      manager.close();
      for (const session of manager.list()) await manager.stop(session.id).catch(() => {});
    }
  },
};

export default benchmark;
