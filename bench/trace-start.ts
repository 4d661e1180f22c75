// Where a cold start's time goes: every ContainerRuntime call of one SessionManager.start, from the
// call to start() to each call's end, then what still ran after start() answered (the probe's start
// in the background). `npx tsx bench/trace-start.ts [runs]`; the image is BENCH_IMAGE (bottle).
import { DockerRuntime, labImageTag, MemoryRegistry, SessionManager, type ContainerRuntime } from '@/sandbox';
import { bareDocker, bareStartAndExec } from './baselines/docker';

interface Call {
  name: string;
  detail: string;
  startMs: number;
  endMs?: number;
}

/** The runtime with every async call timed into `calls`, relative to `origin.at`. */
function tracing(runtime: ContainerRuntime, calls: Call[], origin: { at: number }): ContainerRuntime {
  return new Proxy(runtime, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        const call: Call = {
          name: String(property),
          detail: describeArgs(String(property), args),
          startMs: performance.now() - origin.at,
        };
        calls.push(call);
        const result: unknown = (value as (...a: unknown[]) => unknown).apply(target, args);
        if (result instanceof Promise)
          return result.finally(() => (call.endMs = performance.now() - origin.at));
        call.endMs = call.startMs;
        return result;
      };
    },
  });
}

function describeArgs(name: string, args: unknown[]): string {
  const [first, second] = args as [unknown, unknown];
  if (name === 'createContainer')
    return String((first as { name: string }).name).replace(/^keiko-s_\w+-/, '');
  if (name === 'createVolume') return String((first as { name: string }).name).replace(/^s_\w+?-/, '');
  if (name === 'writeArchive') return String(second);
  if (name === 'exec') return JSON.stringify((second as { argv: string[] }).argv);
  if (typeof first === 'string') return first.length > 20 ? first.slice(0, 12) : first;
  return '';
}

async function main(): Promise<void> {
  const runs = Number(process.argv[2] ?? 3);
  const image = labImageTag(process.env.BENCH_IMAGE ?? 'bottle');
  const calls: Call[] = [];
  const origin = { at: performance.now() };
  const manager = new SessionManager({
    runtime: tracing(new DockerRuntime({ dockerHost: process.env.DOCKER_HOST }), calls, origin),
    registry: new MemoryRegistry(),
    probeImage: labImageTag('probe'),
    instance: process.env.KEIKO_INSTANCE ? `bench-${process.env.KEIKO_INSTANCE}` : 'bench',
    holder: 'bench',
  });
  try {
    await manager.stop((await manager.start({ labId: 'trace', image, ownerId: 'trace' })).id); // seed cache
    for (let run = 1; run <= runs; run += 1) {
      calls.length = 0;
      origin.at = performance.now();
      const session = await manager.start({ labId: 'trace', image, ownerId: 'trace' });
      const readyMs = performance.now() - origin.at;
      const answer = await manager.exec(session.id, { argv: ['echo', 'ready'] });
      const answeredMs = performance.now() - origin.at;
      await manager.probeSettled(session.id);
      const probeMs = performance.now() - origin.at;
      const shown = calls.filter((call) => call.name !== 'inspectContainer' || call.startMs < readyMs);
      console.log(
        `--- start ${run}: ready ${readyMs.toFixed(0)} ms, shell answered ${answeredMs.toFixed(0)} ms (${answer.stdout.trim()}), probe started ${probeMs.toFixed(0)} ms`,
      );
      for (const call of shown)
        console.log(
          `  ${call.startMs.toFixed(0).padStart(5)} -> ${(call.endMs ?? NaN).toFixed(0).padStart(5)} ms  ${call.name.padEnd(16)} ${call.detail}`,
        );
      await manager.stop(session.id);
    }
    const docker = bareDocker();
    const bare: number[] = [];
    for (let run = 0; run < runs; run += 1) {
      const started = performance.now();
      const container = await bareStartAndExec(docker, image);
      bare.push(performance.now() - started);
      await container.remove({ force: true });
    }
    console.log(`bare create+start+exec: ${bare.map((ms) => ms.toFixed(0)).join(', ')} ms`);
  } finally {
    manager.close();
  }
}

await main();
