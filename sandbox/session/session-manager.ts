import { randomBytes } from 'node:crypto';
import os from 'node:os';
import { describeError, SandboxError, SessionNotFoundError, SessionStartError } from '../errors';
import {
  DEFAULT_LIMITS,
  LIMIT_CAPS,
  resolveLimits,
  type LimitOverrides,
  type SandboxLimits,
} from '../limits';
import type { ContainerRuntime, ExecResult, ProcessInfo, PtyHandle } from '../runtime/runtime';
import { writeContainerFile, writeContainerTree } from './files';
import { readAsLearner, writeAsLearner } from './learner-files';
import {
  LEARNER,
  MAX_CONCURRENT_EXECS,
  MAX_OPEN_TERMINALS,
  labContainerSpec,
  probeContainerSpec,
  resourceLimits,
  volumeSpecs,
  type SessionLayout,
} from './hardening';
import { DEFAULT_INSTANCE, DEFAULT_WRITABLE_PATHS, instanceOf, LABELS, WRITABLE_PATHS_LABEL } from './labels';
import { Semaphore } from './semaphore';
import { settleAll } from './settle';
import {
  limitsOf,
  type HolderKind,
  type HolderRecord,
  type SessionRecord,
  type SessionRegistry,
  type SessionStatus,
} from './registry';
import { SeedCache } from './seed-cache';

const TOUCH_WRITE_INTERVAL_MS = 5_000; // activity is written to the registry at most this often
/** How long a session's objects are safe from other processes after their holder's last sign of life. */
export const DEFAULT_ORPHAN_GRACE_MS = 120_000;

export interface StartSessionOptions {
  labId: string;
  image: string;
  ownerId: string;
  limits?: LimitOverrides;
  workdir?: string;
  /** Starter files written into the lab before it is ready, owned by the learner. */
  files?: { path: string; content: Buffer; mode?: number }[];
}

/** What a caller sees of a live session. */
export interface SandboxSession {
  id: string;
  labId: string;
  ownerId: string;
  status: SessionStatus;
  createdAt: Date;
  expiresAt: Date;
  /** When the session ends if nothing happens in it: the earlier of idle and max lifetime. */
  idleExpiresAt: Date;
  limits: SandboxLimits;
}

export interface ExecInSessionOptions {
  argv: string[];
  /** `lab`: the learner's container. `probe`: the trusted tools beside it, sharing its network. */
  in?: 'lab' | 'probe';
  /** Run as root in the lab (still without capabilities): for platform checks that need it. */
  asRoot?: boolean;
  stdin?: string | Buffer;
  timeoutMs?: number;
  env?: string[];
  /** Output kept per stream; the session's limit when absent, never above the platform's cap. */
  outputMaxBytes?: number;
}

export interface SessionManagerOptions {
  runtime: ContainerRuntime;
  registry: SessionRegistry;
  probeImage: string;
  /** The `keiko.instance` label of everything this manager makes; it reaps only its own instance. */
  instance?: string;
  defaults?: SandboxLimits;
  caps?: SandboxLimits;
  now?: () => Date;
  /**
   * Who this process is in the shared registry (`cli` when not said). A `server` adopts the sessions
   * a server left behind when it died; every other kind only ends what it started.
   */
  holder?: HolderKind;
  /**
   * Objects nobody holds are removed only once this much time has passed since their holder was last
   * seen (or, for objects no record knows, since they were created): long enough for a session being
   * created by another process to get its record, and for a holder's heartbeat to be missed.
   */
  orphanGraceMs?: number;
}

/** A pre-made sandbox the manager can hand out instead of creating one (see WarmPool). */
export interface PooledSandbox {
  record: SessionRecord;
}

export interface SandboxSource {
  take(image: string, limits: SandboxLimits): PooledSandbox | undefined;
  owns(sessionId: string): boolean;
}

interface LiveSession {
  record: SessionRecord;
  limits: SandboxLimits;
  lastTouchWrittenMs: number;
  execSlots: Semaphore;
  openTerminals: number;
}

export function newSessionId(): string {
  return `s_${randomBytes(12).toString('base64url').replace(/[-_]/g, 'x')}`;
}

/**
 * Every learner's sandbox: created hardened, reachable by session id only, ended by the learner, by
 * its idle timeout or by its maximum lifetime, and reaped by label when anything is left behind.
 */
export class SessionManager {
  private readonly live = new Map<string, LiveSession>();
  private readonly seeds: SeedCache;
  readonly instance: string;
  private readonly defaults: SandboxLimits;
  private readonly caps: SandboxLimits;
  private readonly now: () => Date;
  private pool: SandboxSource | undefined;
  private sweeper: NodeJS.Timeout | undefined;
  private readonly endedListeners: ((id: string, status: SessionStatus, reason: string) => void)[] = [];
  /** This process as the registry knows it; written on the first session it makes or adopts. */
  readonly holder: HolderRecord;
  private claimed = false;
  private heartbeat: NodeJS.Timeout | undefined;
  private readonly orphanGraceMs: number;

  constructor(private readonly options: SessionManagerOptions) {
    this.instance = options.instance ?? DEFAULT_INSTANCE;
    this.orphanGraceMs = options.orphanGraceMs ?? DEFAULT_ORPHAN_GRACE_MS;
    this.seeds = new SeedCache(options.runtime, this.instance);
    this.defaults = options.defaults ?? DEFAULT_LIMITS;
    this.caps = options.caps ?? LIMIT_CAPS;
    // The limits table is checked when the platform starts, not when the first learner arrives.
    resolveLimits({}, this.defaults, this.caps);
    this.now = options.now ?? (() => new Date());
    const at = this.now().toISOString();
    this.holder = {
      id: `h_${randomBytes(9).toString('base64url')}`,
      kind: options.holder ?? 'cli',
      pid: process.pid,
      host: os.hostname(),
      startedAt: at,
      seenAt: at,
    };
  }

  get runtime(): ContainerRuntime {
    return this.options.runtime;
  }

  usePool(pool: SandboxSource): void {
    this.pool = pool;
  }

  resolveLimits(overrides?: LimitOverrides): SandboxLimits {
    return resolveLimits(overrides, this.defaults, this.caps);
  }

  /** Starts a sandbox and answers once a shell can run in it; on failure nothing is left behind. */
  async start(options: StartSessionOptions): Promise<SandboxSession> {
    const limits = this.resolveLimits(options.limits);
    const record =
      (await this.adoptSpare(options, limits)) ?? (await this.create(options, limits, 'starting'));
    try {
      await this.writeStarterFiles(record, options.files ?? [], options.workdir);
      record.status = 'ready';
      this.options.registry.save(record);
    } catch (error) {
      await this.end(record.id, 'failed', `could not write the starter files: ${describeError(error)}`);
      throw new SessionStartError(`the lab could not be prepared: ${describeError(error)}`);
    }
    this.live.set(record.id, this.liveSession(record, limits));
    return this.view(record, limits);
  }

  /**
   * Creates and starts the containers of one sandbox and records it. Used for learners' sessions and
   * for the warm pool's spares alike, so both are hardened the same way.
   */
  async create(
    options: Omit<StartSessionOptions, 'files'>,
    limits: SandboxLimits,
    status: SessionStatus,
  ): Promise<SessionRecord> {
    const [image, probe] = await Promise.all([
      this.options.runtime.inspectImage(options.image),
      this.options.runtime.inspectImage(this.options.probeImage),
    ]);
    if (!image)
      throw new SessionStartError(
        `the lab image ${options.image} is not built; run \`npx keiko images build\``,
      );
    if (!probe)
      throw new SessionStartError(
        `the probe image ${this.options.probeImage} is not built; run \`npx keiko images build\``,
      );
    const writablePaths =
      image.labels[WRITABLE_PATHS_LABEL]?.split(/\s+/).filter(Boolean) ?? DEFAULT_WRITABLE_PATHS;
    const createdAt = this.now();
    const layout: SessionLayout = {
      instance: this.instance,
      sessionId: newSessionId(),
      labId: options.labId,
      image: options.image,
      probeImage: this.options.probeImage,
      limits,
      writablePaths,
      workdir: options.workdir,
      expiresAt: new Date(createdAt.getTime() + limits.maxLifetimeMs),
    };
    const volumes = volumeSpecs(layout);
    this.claim();
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
      holderId: this.holder.id,
    };
    // Written before anything exists, so a crash part-way leaves a record the reaper can act on.
    this.options.registry.save(record);
    try {
      await this.startContainers(record, layout, volumes, image.id);
      this.options.registry.save(record);
      return record;
    } catch (error) {
      await this.destroy(record);
      this.options.registry.end(record.id, 'failed', describeError(error), this.now().toISOString());
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
    const runtime = this.options.runtime;
    const seeds = this.seeds.get(layout.image, imageId, layout.writablePaths);
    await Promise.all(volumes.map((volume) => runtime.createVolume(volume)));
    const lab = await runtime.createContainer(labContainerSpec(layout));
    record.containers.lab = lab;
    this.options.registry.save(record);
    const probeCreated = runtime.createContainer(probeContainerSpec(layout, lab)).then((probe) => {
      record.containers.probe = probe;
      this.options.registry.save(record);
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

  /**
   * A spare from the pool whose containers the engine confirms still run, adopted for this start.
   * Spares removed behind the platform's back (another process's clean-up, `docker rm`) are ended
   * and skipped, so a learner never gets a sandbox that is gone.
   */
  private async adoptSpare(
    options: StartSessionOptions,
    limits: SandboxLimits,
  ): Promise<SessionRecord | undefined> {
    for (
      let pooled = this.pool?.take(options.image, limits);
      pooled;
      pooled = this.pool?.take(options.image, limits)
    ) {
      const vanished = await this.vanished(pooled.record);
      if (!vanished) {
        try {
          return await this.adopt(pooled.record, options, limits);
        } catch (error) {
          await this.end(
            pooled.record.id,
            'failed',
            `the spare could not be adopted: ${describeError(error)}`,
          );
          continue;
        }
      }
      await this.end(pooled.record.id, 'failed', `the spare sandbox vanished: ${vanished}`);
    }
    return undefined;
  }

  /** Why the record's containers are no longer usable, or undefined when both still run. */
  private async vanished(record: SessionRecord): Promise<string | undefined> {
    for (const role of ['lab', 'probe'] as const) {
      const id = record.containers[role];
      const state = id ? await this.options.runtime.inspectContainer(id) : undefined;
      if (!state) return `its ${role} container is gone`;
      if (!state.running)
        return state.oomKilled ? `its ${role} container ran out of memory` : `its ${role} container stopped`;
    }
    return undefined;
  }

  /**
   * The live session once the engine confirms its containers still run. A session whose sandbox
   * vanished (removed from outside, the engine restarted) is ended and reported as gone.
   */
  async verify(id: string): Promise<SandboxSession | undefined> {
    const live = this.live.get(id);
    if (!live) return undefined;
    const vanished = await this.vanished(live.record);
    if (!vanished) return this.view(live.record, live.limits);
    await this.end(id, 'failed', `the sandbox stopped: ${vanished}`);
    return undefined;
  }

  get(id: string): SandboxSession | undefined {
    const live = this.live.get(id);
    return live ? this.view(live.record, live.limits) : undefined;
  }

  /** Every live session (not the pool's spares). */
  list(): SandboxSession[] {
    return [...this.live.values()].map((live) => this.view(live.record, live.limits));
  }

  /** Records activity (terminal input, a check) so the idle timeout starts again. */
  touch(id: string): void {
    const live = this.require(id);
    const at = this.now();
    live.record.lastActivityAt = at.toISOString();
    if (Date.now() - live.lastTouchWrittenMs >= TOUCH_WRITE_INTERVAL_MS) {
      live.lastTouchWrittenMs = Date.now();
      this.options.registry.touch(id, live.record.lastActivityAt);
    }
  }

  async exec(id: string, options: ExecInSessionOptions): Promise<ExecResult> {
    const live = this.require(id);
    const target = options.in ?? 'lab';
    const container = live.record.containers[target];
    if (!container) throw new SessionNotFoundError(`session ${id} has no ${target} container`);
    const release = await live.execSlots.acquire();
    try {
      return await this.options.runtime.exec(container, {
        argv: options.argv,
        user: options.asRoot ? '0:0' : undefined,
        env: options.env,
        stdin: options.stdin,
        timeoutMs: Math.min(options.timeoutMs ?? live.limits.execTimeoutMs, this.caps.execTimeoutMs),
        outputMaxBytes: Math.min(
          options.outputMaxBytes ?? live.limits.execOutputMaxBytes,
          this.caps.execOutputMaxBytes,
        ),
      });
    } catch (error) {
      throw await this.explainDeadSandbox(id, error);
    } finally {
      release();
    }
  }

  async openShell(id: string, size: { cols: number; rows: number }): Promise<PtyHandle> {
    const live = this.require(id);
    if (live.openTerminals >= MAX_OPEN_TERMINALS) {
      throw new SandboxError(
        `session ${id} already has ${MAX_OPEN_TERMINALS} terminals open; close one first`,
      );
    }
    live.openTerminals += 1;
    try {
      const pty = await this.options.runtime.openPty(live.record.containers.lab!, {
        argv: ['/bin/bash', '-l'],
        ...size,
      });
      pty.onExit(() => (live.openTerminals -= 1));
      return pty;
    } catch (error) {
      live.openTerminals -= 1;
      throw await this.explainDeadSandbox(id, error);
    }
  }

  /**
   * Reads a file of the lab with the learner's own permissions (see learner-files.ts): what the
   * files API serves and a `file` check reads is never more than the learner's shell could read.
   */
  async readFile(id: string, path: string): Promise<Buffer> {
    const live = this.require(id);
    return readAsLearner((options) => this.exec(id, options), path, live.limits.fileMaxBytes);
  }

  /**
   * Writes a file of the lab as the learner: an existing file keeps its mode and owner (unless `mode`
   * is given), a new one is 0644; a link in its place is replaced, never followed; the bytes count
   * against the lab's limits.
   */
  async writeFile(id: string, path: string, content: Buffer, mode?: number): Promise<void> {
    const live = this.require(id);
    await writeAsLearner((options) => this.exec(id, options), path, content, live.limits.fileMaxBytes, mode);
  }

  /** The lab's processes as the engine sees them: a learner's `ps` cannot lie about these. */
  async processes(id: string): Promise<ProcessInfo[]> {
    const live = this.require(id);
    return this.options.runtime.listProcesses(live.record.containers.lab!);
  }

  /** What the lab container uses now, as its cgroups count it. */
  async usage(id: string, target: 'lab' | 'probe' = 'lab'): Promise<{ memoryBytes: number; pids: number }> {
    const container = this.require(id).record.containers[target];
    if (!container) throw new SessionNotFoundError(`session ${id} has no ${target} container`);
    return this.options.runtime.usage(container);
  }

  /** Stops the session; its containers and volumes are gone when this resolves. */
  async stop(id: string, reason = 'stopped by its owner'): Promise<void> {
    this.require(id);
    await this.end(id, 'stopped', reason);
  }

  /**
   * Ends sessions past their lifetime or idle timeout, and those whose containers vanished behind
   * the platform's back. Returns the ids it ended.
   */
  async sweep(): Promise<string[]> {
    const now = this.now().getTime();
    const ended: string[] = [];
    if (this.live.size > 0) {
      const { containers } = await this.options.runtime.listLabelled(LABELS.session);
      const running = new Set(containers.filter((c) => c.running).map((c) => c.id));
      for (const live of [...this.live.values()]) {
        const lost = (['lab', 'probe'] as const).find(
          (role) => !running.has(live.record.containers[role] ?? ''),
        );
        if (!lost) continue;
        await this.end(
          live.record.id,
          'failed',
          `the sandbox stopped: its ${lost} container is gone or stopped`,
        );
        ended.push(live.record.id);
      }
    }
    for (const live of [...this.live.values()]) {
      const view = this.view(live.record, live.limits);
      if (now >= view.expiresAt.getTime()) {
        await this.end(live.record.id, 'expired', 'reached its maximum lifetime');
        ended.push(live.record.id);
      } else if (now >= view.idleExpiresAt.getTime()) {
        await this.end(
          live.record.id,
          'expired',
          `idle for ${Math.round(live.limits.idleTimeoutMs / 60_000)} min`,
        );
        ended.push(live.record.id);
      }
    }
    return ended;
  }

  /**
   * Deals with the sessions of the shared registry that no live process holds: a server adopts the
   * ones a dead server left running; the rest are ended once their holder has been gone for the
   * grace period. Sessions another live process holds (a CLI run, another server on the same data
   * directory) are never touched. Then reaps what no session owns.
   */
  async recover(): Promise<{ adopted: string[]; ended: string[]; reaped: number }> {
    this.claim();
    const adopted: string[] = [];
    const ended: string[] = [];
    const now = this.now().getTime();
    for (const record of this.options.registry.live()) {
      if (this.live.has(record.id) || this.pool?.owns(record.id) || record.holderId === this.holder.id)
        continue;
      const holder = record.holderId ? this.options.registry.holder(record.holderId) : undefined;
      if (record.holderId && !this.isGone(holder)) continue;
      const adoptable =
        (this.options.holder ?? 'cli') === 'server' &&
        (holder === undefined || holder.kind === 'server') &&
        record.status === 'ready' &&
        Date.parse(record.expiresAt) > now;
      if (adoptable) {
        const lab = record.containers.lab
          ? await this.options.runtime.inspectContainer(record.containers.lab)
          : undefined;
        if (lab?.running) {
          const mine = { ...record, holderId: this.holder.id };
          this.options.registry.save(mine);
          this.live.set(record.id, this.liveSession(mine, limitsOf(mine)));
          adopted.push(record.id);
          continue;
        }
      }
      // A server's sessions wait for the next server, which adopts or ends them; nothing else may.
      if ((this.options.holder ?? 'cli') !== 'server' && (holder === undefined || holder.kind === 'server'))
        continue;
      if (holder && now - Date.parse(holder.seenAt) < this.orphanGraceMs) continue;
      await this.destroy(record);
      this.options.registry.end(
        record.id,
        record.status === 'pooled' ? 'stopped' : 'failed',
        `left by a ${holder?.kind ?? 'previous'} process that is gone`,
        this.now().toISOString(),
      );
      ended.push(record.id);
    }
    const reaped = await this.reap();
    return { adopted, ended, reaped };
  }

  /** Ends every live session of the registry, whoever holds it, then reaps (`keiko sessions stop --all`). */
  async stopAll(reason: string): Promise<{ stopped: number; reaped: number }> {
    const records = this.options.registry.live();
    for (const record of records) {
      this.live.delete(record.id);
      await this.destroy(record);
      this.options.registry.end(record.id, 'stopped', reason, this.now().toISOString());
    }
    return { stopped: records.length, reaped: await this.reap() };
  }

  /**
   * Removes this installation's labelled containers and volumes that no session owns: those whose
   * session the registry says has ended, and those it never knew once they are older than the grace
   * period. Objects of another instance are never touched; objects labelled by versions before
   * instances (`default`) are this installation's when its registry knows their session.
   */
  async reap(): Promise<number> {
    const all = await this.options.runtime.listLabelled(LABELS.session);
    const now = this.now().getTime();
    const doomed = (object: { labels: Record<string, string>; createdAt: Date }): boolean => {
      const sessionId = object.labels[LABELS.session];
      const record = sessionId ? this.options.registry.get(sessionId) : undefined;
      const instance = instanceOf(object.labels);
      if (instance !== this.instance && !(instance === DEFAULT_INSTANCE && record)) return false;
      if (sessionId && (this.live.has(sessionId) || this.pool?.owns(sessionId))) return false;
      if (record) return record.endedAt !== undefined;
      return now - object.createdAt.getTime() >= this.orphanGraceMs;
    };
    const containers = all.containers.filter(doomed);
    await Promise.all(containers.map((container) => this.options.runtime.removeContainer(container.id)));
    const volumes = all.volumes.filter(doomed);
    await Promise.all(volumes.map((volume) => this.options.runtime.removeVolume(volume.name)));
    return containers.length + volumes.length;
  }

  /** Sweeps and reaps every interval until `close`. */
  startSweeper(intervalMs: number): void {
    this.sweeper ??= setInterval(() => {
      void this.sweep()
        .then(() => this.recover())
        .catch((error: unknown) => console.error(`keiko: sandbox sweep failed: ${describeError(error)}`));
    }, intervalMs);
    this.sweeper.unref();
  }

  /**
   * Stops the sweeper and the heartbeat, and tells the registry this process is gone. Sessions stay:
   * a restarted server adopts them at once (see `recover`).
   */
  close(): void {
    if (this.sweeper) clearInterval(this.sweeper);
    this.sweeper = undefined;
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.heartbeat = undefined;
    if (this.claimed) this.options.registry.endHolder(this.holder.id, this.now().toISOString());
    this.claimed = false;
  }

  /** Writes this process into the registry and keeps its heartbeat fresh while it lives. */
  private claim(): void {
    if (this.claimed) return;
    this.claimed = true;
    this.holder.seenAt = this.now().toISOString();
    delete this.holder.endedAt;
    this.options.registry.saveHolder(this.holder);
    this.heartbeat = setInterval(
      () => {
        try {
          this.options.registry.beat(this.holder.id, this.now().toISOString());
        } catch (error) {
          console.error(`keiko: heartbeat failed: ${describeError(error)}`);
        }
      },
      Math.max(100, Math.floor(this.orphanGraceMs / 4)),
    );
    this.heartbeat.unref();
  }

  /**
   * True when the holder closed, or its process is dead: on this host the kernel says so (a slow
   * process is not a dead one); on another host, its heartbeat has been missing for the grace period.
   */
  private isGone(holder: HolderRecord | undefined): boolean {
    if (!holder || holder.endedAt) return true;
    if (holder.id === this.holder.id) return false;
    if (holder.host === this.holder.host) return !processAlive(holder.pid);
    return this.now().getTime() - Date.parse(holder.seenAt) >= this.orphanGraceMs;
  }

  /** Ends a pooled or created sandbox record: removes its objects and writes the ending down. */
  async end(id: string, status: SessionStatus, reason: string): Promise<void> {
    const wasLive = this.live.has(id);
    const record = this.live.get(id)?.record ?? this.options.registry.get(id);
    this.live.delete(id);
    if (wasLive) for (const listener of this.endedListeners) listener(id, status, reason);
    if (record) await this.destroy(record);
    this.options.registry.end(id, status, reason, this.now().toISOString());
  }

  /** Calls the listener when a live session ends, before its containers are removed. */
  onSessionEnded(listener: (id: string, status: SessionStatus, reason: string) => void): void {
    this.endedListeners.push(listener);
  }

  private async adopt(
    record: SessionRecord,
    options: StartSessionOptions,
    limits: SandboxLimits,
  ): Promise<SessionRecord> {
    const createdAt = this.now();
    const adopted: SessionRecord = {
      ...record,
      labId: options.labId,
      ownerId: options.ownerId,
      status: 'starting',
      limits: { ...limits },
      createdAt: createdAt.toISOString(),
      expiresAt: new Date(createdAt.getTime() + limits.maxLifetimeMs).toISOString(),
      lastActivityAt: createdAt.toISOString(),
      holderId: this.holder.id,
    };
    this.options.registry.save(adopted);
    await this.options.runtime.updateLimits(adopted.containers.lab!, resourceLimits(limits));
    return adopted;
  }

  private async writeStarterFiles(
    record: SessionRecord,
    files: NonNullable<StartSessionOptions['files']>,
    workdir: string | undefined,
  ): Promise<void> {
    const base = workdir?.replace(/\/$/, '');
    // The usual case, a starter tree under the workdir: one archive, sub-folders included.
    if (base && files.length > 0 && files.every((file) => file.path.startsWith(`${base}/`))) {
      const tree = files.map((file) => ({ ...file, relativePath: file.path.slice(base.length + 1) }));
      await writeContainerTree(this.options.runtime, record.containers.lab!, base, tree, {
        maxBytes: this.caps.fileMaxBytes,
        uid: LEARNER.uid,
        gid: LEARNER.gid,
      });
      return;
    }
    for (const file of files) {
      await writeContainerFile(this.options.runtime, record.containers.lab!, file.path, file.content, {
        maxBytes: this.caps.fileMaxBytes,
        uid: LEARNER.uid,
        gid: LEARNER.gid,
        mode: file.mode,
      });
    }
  }

  private async destroy(record: SessionRecord): Promise<void> {
    // The probe shares the lab's network namespace, so it goes first.
    for (const role of ['probe', 'lab']) {
      const container = record.containers[role];
      if (container) await this.options.runtime.removeContainer(container);
    }
    await Promise.all(record.volumes.map((volume) => this.options.runtime.removeVolume(volume)));
  }

  private async explainDeadSandbox(id: string, error: unknown): Promise<Error> {
    const live = this.live.get(id);
    const state = live?.record.containers.lab
      ? await this.options.runtime.inspectContainer(live.record.containers.lab)
      : undefined;
    if (live && !state?.running) {
      const why = state?.oomKilled
        ? 'it ran out of memory'
        : state
          ? `it exited with code ${state.exitCode}`
          : 'its container is gone';
      await this.end(id, 'failed', `the sandbox stopped: ${why}`);
      return new SessionNotFoundError(
        `session ${id} has ended: the sandbox stopped (${why}); start the lab again`,
      );
    }
    return error instanceof Error ? error : new Error(String(error));
  }

  private liveSession(record: SessionRecord, limits: SandboxLimits): LiveSession {
    return {
      record,
      limits,
      lastTouchWrittenMs: Date.now(),
      execSlots: new Semaphore(MAX_CONCURRENT_EXECS),
      openTerminals: 0,
    };
  }

  private require(id: string): LiveSession {
    const live = this.live.get(id);
    if (!live) throw new SessionNotFoundError(`no live session ${id}`);
    return live;
  }

  private view(record: SessionRecord, limits: SandboxLimits): SandboxSession {
    const expiresAt = new Date(record.expiresAt);
    const idle = new Date(Date.parse(record.lastActivityAt) + limits.idleTimeoutMs);
    return {
      id: record.id,
      labId: record.labId,
      ownerId: record.ownerId,
      status: record.status,
      createdAt: new Date(record.createdAt),
      expiresAt,
      idleExpiresAt: idle < expiresAt ? idle : expiresAt,
      limits,
    };
  }
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'; // alive, but not ours to signal
  }
}
