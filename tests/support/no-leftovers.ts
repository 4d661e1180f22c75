// Runs once after the whole suite: every test must have removed the sandboxes it made. Anything
// still labelled keiko.session is reported as a failure, then removed so it does not linger.
import { DockerRuntime, LABELS } from '@/sandbox';

export default function setup() {
  return async function teardown() {
    const runtime = new DockerRuntime({ dockerHost: process.env.DOCKER_HOST });
    if (!(await runtime.engineInfo()).reachable) return;
    const { containers, volumes } = await runtime.listLabelled(LABELS.session);
    if (containers.length === 0 && volumes.length === 0) return;
    await Promise.all(containers.map((container) => runtime.removeContainer(container.id)));
    await Promise.all(volumes.map((volume) => runtime.removeVolume(volume.name)));
    const sessions = [...new Set([...containers, ...volumes].map((o) => o.labels[LABELS.session]))];
    throw new Error(
      `tests left ${containers.length} containers and ${volumes.length} volumes labelled ${LABELS.session} (sessions ${sessions.join(', ')}); they are removed now`,
    );
  };
}
