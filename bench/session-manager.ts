import { DockerRuntime, labImageTag, MemoryRegistry, SessionManager } from '@/sandbox';

/**
 * The session manager benchmarks measure: the real engine, the real probe image, no store, and their
 * own instance label, so a Keiko server on the same engine neither reaps them nor is reaped.
 */
export function benchSessionManager(): { runtime: DockerRuntime; manager: SessionManager } {
  const runtime = new DockerRuntime({ dockerHost: process.env.DOCKER_HOST });
  const manager = new SessionManager({
    runtime,
    registry: new MemoryRegistry(),
    probeImage: labImageTag('probe'),
    // Per installation, so two checkouts benchmarking on one engine keep to their own sandboxes.
    instance: process.env.KEIKO_INSTANCE ? `bench-${process.env.KEIKO_INSTANCE}` : 'bench',
    holder: 'bench',
  });
  return { runtime, manager };
}
