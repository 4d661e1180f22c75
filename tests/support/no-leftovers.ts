// Around the integration and browser tests: every test must remove the sandboxes it made. Anything
// labelled keiko.session that appeared during the run and is still there at the end is a failure;
// it is reported, then removed. Sandboxes that existed before the run (a developer's own server)
// are left alone.
import { DEFAULT_INSTANCE, DockerRuntime, instanceOf, LABELS } from '@/sandbox';

/** This run's labelled objects: vitest.config.ts gives the run its own instance label. */
async function labelled(runtime: DockerRuntime) {
  const instance = process.env.KEIKO_INSTANCE ?? DEFAULT_INSTANCE;
  const { containers, volumes } = await runtime.listLabelled(LABELS.session);
  const ours = <T extends { labels: Record<string, string> }>(objects: T[]) =>
    objects.filter((o) => instanceOf(o.labels) === instance);
  return { containers: ours(containers), volumes: ours(volumes) };
}

export default async function setup() {
  const runtime = new DockerRuntime({ dockerHost: process.env.DOCKER_HOST });
  if (!(await runtime.engineInfo()).reachable) return undefined;
  const before = await labelled(runtime);
  const existing = new Set([...before.containers.map((c) => c.id), ...before.volumes.map((v) => v.name)]);
  return async function teardown() {
    const after = await labelled(runtime);
    const containers = after.containers.filter((c) => !existing.has(c.id));
    const volumes = after.volumes.filter((v) => !existing.has(v.name));
    if (containers.length === 0 && volumes.length === 0) return;
    await Promise.all(containers.map((container) => runtime.removeContainer(container.id)));
    await Promise.all(volumes.map((volume) => runtime.removeVolume(volume.name)));
    const sessions = [...new Set([...containers, ...volumes].map((o) => o.labels[LABELS.session]))];
    throw new Error(
      `tests left ${containers.length} containers and ${volumes.length} volumes labelled ${LABELS.session} (sessions ${sessions.join(', ')}); they are removed now`,
    );
  };
}
