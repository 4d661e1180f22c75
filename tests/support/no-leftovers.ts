// Around the integration and browser tests: every test must remove the sandboxes it made. Anything
// labelled keiko.session that appeared during the run and is still there at the end is a failure;
// it is reported, then removed. Sandboxes that existed before the run (a developer's own server)
// are left alone.
import { DockerRuntime, LABELS } from '@/sandbox';

async function labelled(runtime: DockerRuntime) {
  const { containers, volumes } = await runtime.listLabelled(LABELS.session);
  return { containers, volumes };
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
