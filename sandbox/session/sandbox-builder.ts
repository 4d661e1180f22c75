import { describeError, SandboxError, SessionStartError } from '../errors';
import type { SandboxLimits } from '../limits';
import type { ContainerRuntime } from '../runtime/runtime';
import { LEARNER, labContainerSpec, probeContainerSpec, volumeSpecs, type SessionLayout } from './hardening';
import { packTree, starterTree } from './files';
import { DEFAULT_WRITABLE_PATHS, WRITABLE_PATHS_LABEL } from './labels';
import type { SessionRecord, SessionRegistry, SessionStatus } from './registry';
import type { Seed, SeedCache } from './seed-cache';
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

/** A sandbox whose lab is ready; its probe's start may still be under way. */
export interface BuiltSandbox {
  record: SessionRecord;
  /** The probe container's start; rejects when it fails. */
  probeStarted: Promise<void>;
  /** The starter files were unpacked with the seeding; otherwise the caller writes them. */
  starterWritten: boolean;
}

/** What a sandbox is built from: the lab, its image and workdir, and who it is for. */
export interface BuildOptions {
  labId: string;
  image: string;
  ownerId: string;
  workdir?: string;
  /**
   * Starter files to unpack with the seed of the writable place that holds the workdir, in the same
   * archive, when they all lie below the workdir and the image has it: `starterWritten` says so.
   */
  starter?: { files: readonly { path: string; content: Buffer; mode?: number }[]; maxBytes: number };
}

/**
 * Builds and removes the engine's objects of one sandbox (the lab and probe containers and their
 * volumes) and keeps the registry's record of them in step, so a crash part-way leaves a record the
 * reaper can act on. Knows nothing of live sessions or learners.
 */
export class SandboxBuilder {
  constructor(private readonly deps: SandboxBuilderDeps) {}

  /**
   * Makes a sandbox and records it. Resolves once the lab runs with its writable places seeded; the
   * probe's start may still be under way then (`probeStarted`, which the caller must watch). On a
   * failure before that, everything is removed and the record is ended.
   */
  async build(
    options: BuildOptions,
    limits: SandboxLimits,
    status: SessionStatus,
    holderId: string,
  ): Promise<BuiltSandbox> {
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
    // The image's content of the writable places (read once per image): each volume is made with
    // its folder's owner and mode, and only folders with content are unpacked into theirs.
    const seeds = await this.deps.seeds.get(layout.image, image.id, layout.writablePaths).catch((error) => {
      throw new SessionStartError(
        `the lab image's writable places could not be read: ${describeError(error)}`,
      );
    });
    const volumes = volumeSpecs(layout, new Map([...seeds].map(([folder, seed]) => [folder, seed.owner])));
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
      const archives = await this.seedArchives(seeds, options);
      const { probeStarted } = await this.startContainers(record, layout, volumes, archives.toWrite);
      this.deps.registry.save(record);
      return { record, probeStarted, starterWritten: archives.starterWritten };
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
   * created while the lab starts (it joins the lab's network only when it starts), then the seeding
   * of the writable places, the readiness check and the probe's start run side by side. Resolves
   * when the lab is ready, with the probe's start, which may still run. Each id is recorded as soon
   * as it exists, and every step has ended before a failure is thrown, so the clean-up finds
   * everything and races nothing.
   */
  private async startContainers(
    record: SessionRecord,
    layout: SessionLayout,
    volumes: ReturnType<typeof volumeSpecs>,
    archives: ReadonlyMap<string, Buffer>,
  ): Promise<{ probeStarted: Promise<void> }> {
    const runtime = this.deps.runtime;
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
    const probeStarted = runtime.startContainer(await probeCreated);
    // Handled by whoever watches it later: a failure while the seeding runs is not an unhandled one.
    probeStarted.catch(() => undefined);
    try {
      await settleAll([
        ...[...archives].map(([folder, archive]) => runtime.writeArchive(lab, folder, archive)),
        this.ready(lab),
      ]);
    } catch (error) {
      await probeStarted.catch(() => undefined);
      throw error;
    }
    return { probeStarted };
  }

  /** The lab runs commands: one exec, so a broken image fails its start rather than the learner's first command. */
  private async ready(lab: string): Promise<void> {
    const result = await this.deps.runtime.exec(lab, {
      argv: ['true'],
      timeoutMs: 10_000,
      outputMaxBytes: 1024,
    });
    if (result.exitCode !== 0)
      throw new SandboxError(`the lab container does not run commands (${result.stderr.trim()})`);
  }

  /**
   * What to unpack into each writable place: its seed, when the image has content there, and the
   * starter tree merged into the seed of the place that holds the workdir (one archive, one round
   * trip fewer, where the workdir is the place itself or the image has that folder).
   */
  private async seedArchives(
    seeds: ReadonlyMap<string, Seed>,
    options: BuildOptions,
  ): Promise<{ toWrite: Map<string, Buffer>; starterWritten: boolean }> {
    const toWrite = new Map<string, Buffer>();
    for (const [folder, seed] of seeds) if (seed.archive) toWrite.set(folder, seed.archive);
    const tree = options.starter && starterTree(options.starter.files, options.workdir);
    if (!tree || !options.starter) return { toWrite, starterWritten: false };
    for (const [folder, seed] of seeds) {
      const prefix =
        tree.base === folder
          ? ''
          : tree.base.startsWith(`${folder}/`)
            ? tree.base.slice(folder.length + 1)
            : undefined;
      if (prefix === undefined || (prefix !== '' && !seed.folders.has(prefix))) continue;
      const owner = { maxBytes: options.starter.maxBytes, uid: LEARNER.uid, gid: LEARNER.gid };
      toWrite.set(folder, await packTree(tree.files, owner, { archive: seed.archive, prefix }));
      return { toWrite, starterWritten: true };
    }
    return { toWrite, starterWritten: false };
  }

  /** Why the record's containers (of the roles given) are no longer usable, or undefined when they still run. */
  async vanished(
    record: SessionRecord,
    roles: readonly ('lab' | 'probe')[] = ['lab', 'probe'],
  ): Promise<string | undefined> {
    for (const role of roles) {
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
