import { describeError, SandboxError, SessionStartError } from '../errors';
import type { SandboxLimits } from '../limits';
import type { ContainerRuntime } from '../runtime/runtime';
import { labContainerSpec, probeContainerSpec, volumeSpecs, type SessionLayout } from './hardening';
import { DEFAULT_WRITABLE_PATHS, WRITABLE_PATHS_LABEL } from './labels';
import type { SessionRecord, SessionRegistry, SessionStatus } from './registry';
import type { SeedCache } from './seed-cache';
import { newSessionId } from './session-id';
import { settleAll } from './settle';

export interface SandboxBuilderDeps {
  runtime: ContainerRuntime;
  registry: SessionRegistry;
  probeImage: string;
  instance: string;
  now: () => Date;
  seeds: SeedCache;
}

/** What a sandbox is built from: the lab, its image and workdir, and who it is for. */
export interface BuildOptions {
  labId: string;
  image: string;
  ownerId: string;
  workdir?: string;
}

/**
 * Builds and removes the engine's objects of one sandbox (the lab and probe containers and their
 * volumes) and keeps the registry's record of them in step, so a crash part-way leaves a record the
 * reaper can act on. Knows nothing of live sessions or learners.
 */
export class SandboxBuilder {
  constructor(private readonly deps: SandboxBuilderDeps) {}

  async build(
    options: BuildOptions,
    limits: SandboxLimits,
    status: SessionStatus,
    holderId: string,
  ): Promise<SessionRecord> {
    const [image, probe] = await Promise.all([
      this.deps.runtime.inspectImage(options.image),
      this.deps.runtime.inspectImage(this.deps.probeImage),
    ]);
    if (!image)
      throw new SessionStartError(
        `the lab image ${options.image} is not built; run \`npx keiko images build\``,
      );
    if (!probe)
      throw new SessionStartError(
        `the probe image ${this.deps.probeImage} is not built; run \`npx keiko images build\``,
      );
    const writablePaths =
      image.labels[WRITABLE_PATHS_LABEL]?.split(/\s+/).filter(Boolean) ?? DEFAULT_WRITABLE_PATHS;
    const createdAt = this.deps.now();
    const layout: SessionLayout = {
      instance: this.deps.instance,
      sessionId: newSessionId(),
      labId: options.labId,
      image: options.image,
      probeImage: this.deps.probeImage,
      limits,
      writablePaths,
      workdir: options.workdir,
      expiresAt: new Date(createdAt.getTime() + limits.maxLifetimeMs),
    };
    const volumes = volumeSpecs(layout);
    const record: SessionRecord = {
      id: layout.sessionId,
      labId: options.labId,
      ownerId: options.ownerId,
      image: options.image,
      status,
      containers: {},
      volumes: volumes.map((volume) => volume.name),
      limits: { ...limits },
      createdAt: createdAt.toISOString(),
      expiresAt: layout.expiresAt.toISOString(),
      lastActivityAt: createdAt.toISOString(),
      holderId,
    };
    // Written before anything exists, so a crash part-way leaves a record the reaper can act on.
    this.deps.registry.save(record);
    try {
      await this.startContainers(record, layout, volumes, image.id);
      this.deps.registry.save(record);
      return record;
    } catch (error) {
      await this.destroy(record);
      this.deps.registry.end(record.id, 'failed', describeError(error), this.deps.now().toISOString());
      throw error instanceof SessionStartError
        ? error
        : new SessionStartError(`the sandbox could not start: ${describeError(error)}`);
    }
  }

  /**
   * The engine's part of a start, with each step as soon as what it needs exists: the probe is
   * created while the lab starts (it joins the lab's network only when it starts), and the seeding
   * of the writable places, the probe's start and the readiness check run side by side. Each id is
   * recorded as soon as it exists, so a failure's clean-up finds everything.
   */
  private async startContainers(
    record: SessionRecord,
    layout: SessionLayout,
    volumes: ReturnType<typeof volumeSpecs>,
    imageId: string,
  ): Promise<void> {
    const runtime = this.deps.runtime;
    const seeds = this.deps.seeds.get(layout.image, imageId, layout.writablePaths);
    await Promise.all(volumes.map((volume) => runtime.createVolume(volume)));
    const lab = await runtime.createContainer(labContainerSpec(layout));
    record.containers.lab = lab;
    this.deps.registry.save(record);
    const probeCreated = runtime.createContainer(probeContainerSpec(layout, lab)).then((probe) => {
      record.containers.probe = probe;
      this.deps.registry.save(record);
      return probe;
    });
    await settleAll([probeCreated, runtime.startContainer(lab)]);
    const seeded = await seeds;
    const ready = async (): Promise<void> => {
      const result = await runtime.exec(lab, { argv: ['true'], timeoutMs: 10_000, outputMaxBytes: 1024 });
      if (result.exitCode !== 0)
        throw new SandboxError(`the lab container does not run commands (${result.stderr.trim()})`);
    };
    await settleAll([
      ...[...seeded].map(([folder, tar]) => runtime.writeArchive(lab, folder, tar)),
      runtime.startContainer(await probeCreated),
      ready(),
    ]);
  }

  /** Why the record's containers are no longer usable, or undefined when both still run. */
  async vanished(record: SessionRecord): Promise<string | undefined> {
    for (const role of ['lab', 'probe'] as const) {
      const id = record.containers[role];
      const state = id ? await this.deps.runtime.inspectContainer(id) : undefined;
      if (!state) return `its ${role} container is gone`;
      if (!state.running)
        return state.oomKilled ? `its ${role} container ran out of memory` : `its ${role} container stopped`;
    }
    return undefined;
  }

  async destroy(record: SessionRecord): Promise<void> {
    // The probe shares the lab's network namespace, so it goes first.
    for (const role of ['probe', 'lab']) {
      const container = record.containers[role];
      if (container) await this.deps.runtime.removeContainer(container);
    }
    await Promise.all(record.volumes.map((volume) => this.deps.runtime.removeVolume(volume)));
  }
}
