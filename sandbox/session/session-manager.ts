import type { Duplex } from 'node:stream';
import {
  describeError,
  ProbeUnavailableError,
  SandboxError,
  SessionNotFoundError,
  SessionStartError,
} from '../errors';
import {
  DEFAULT_LIMITS,
  LIMIT_CAPS,
  resolveLimits,
  type LimitOverrides,
  type SandboxLimits,
} from '../limits';
import type { ContainerRuntime, ExecResult, ExecStream, ProcessInfo, PtyHandle } from '../runtime/runtime';
import { writeStarterFiles } from './files';
import { readAsLearner, writeAsLearner } from './learner-files';
import { LEARNER, MAX_CONCURRENT_EXECS, MAX_OPEN_TERMINALS, resourceLimits } from './hardening';
import { DEFAULT_INSTANCE } from './labels';
import { openPortStream } from './port-stream';
import { Semaphore } from './semaphore';
import {
  limitsOf,
  type HolderKind,
  type HolderRecord,
  type SessionRecord,
  type SessionRegistry,
  type SessionStatus,
} from './registry';
import { SeedCache } from './seed-cache';
import { HolderPresence } from './holder-presence';
import { Housekeeping, type HousekeepingHost } from './housekeeping';
import { SandboxBuilder } from './sandbox-builder';
import { PROBE_START_DEADLINE_MS, ProbeStart } from './probe-start';
import { newSessionId } from './session-id';

export { newSessionId };

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
  private readonly endedListeners: ((id: string, status: SessionStatus, reason: string) => void)[] = [];
  /** This process as the registry knows it; written on the first session it makes or adopts. */
  private readonly presence: HolderPresence;
  private readonly builder: SandboxBuilder;
  private readonly housekeeping: Housekeeping;
  private readonly orphanGraceMs: number;
  /**
   * Probe starts still under way (or failed) by session id: a session is ready once its lab is, and
   * its probe starts in the background (see `probeContainer`).
   */
  private readonly probeStarts = new Map<string, ProbeStart>();
  /**
   * Sessions lately ended because their probe could not start, with why: a grading that arrives just
   * after is told the grader is unavailable rather than that the session never existed.
   */
  private readonly probeFailures = new Map<string, string>();

  constructor(private readonly options: SessionManagerOptions) {
    this.instance = options.instance ?? DEFAULT_INSTANCE;
    this.orphanGraceMs = options.orphanGraceMs ?? DEFAULT_ORPHAN_GRACE_MS;
    this.seeds = new SeedCache(options.runtime, this.instance);
    this.defaults = options.defaults ?? DEFAULT_LIMITS;
    this.caps = options.caps ?? LIMIT_CAPS;
    // The limits table is checked when the platform starts, not when the first learner arrives.
    resolveLimits({}, this.defaults, this.caps);
    this.now = options.now ?? (() => new Date());
    this.presence = new HolderPresence(
      options.registry,
      options.holder ?? 'cli',
      this.now,
      this.orphanGraceMs,
    );
    this.builder = new SandboxBuilder({
      runtime: options.runtime,
      registry: options.registry,
      probeImage: options.probeImage,
      instance: this.instance,
      now: this.now,
      seeds: this.seeds,
    });
    this.housekeeping = new Housekeeping(this.housekeepingHost());
  }

  /** This process as the registry knows it. */
  get holder(): HolderRecord {
    return this.presence.record;
  }

  private housekeepingHost(): HousekeepingHost {
    return {
      runtime: this.options.runtime,
      registry: this.options.registry,
      instance: this.instance,
      holderKind: this.options.holder ?? 'cli',
      presence: this.presence,
      now: this.now,
      orphanGraceMs: this.orphanGraceMs,
      liveSessions: () =>
        [...this.live.values()].map(({ record, limits }) => {
          const view = this.view(record, limits);
          return {
            record,
            probeStarting: this.probeStarts.get(record.id)?.pending ?? false,
            expiresAt: view.expiresAt,
            idleExpiresAt: view.idleExpiresAt,
            idleTimeoutMs: limits.idleTimeoutMs,
          };
        }),
      holds: (id) => this.live.has(id) || (this.pool?.owns(id) ?? false),
      takeOver: (record) => {
        const mine = { ...record, holderId: this.presence.id };
        this.options.registry.save(mine);
        this.live.set(record.id, this.liveSession(mine, limitsOf(mine)));
      },
      forget: (id) => {
        this.live.delete(id);
      },
      end: (id, status, reason) => this.end(id, status, reason),
      destroy: (record) => this.destroy(record),
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

  /**
   * Starts a sandbox and answers once a shell can run in it, with the starter files written; on
   * failure nothing is left behind. The probe container may still be starting then: what needs it
   * waits for it (see `probeContainer`), and a probe that fails to start ends the session.
   */
  async start(options: StartSessionOptions): Promise<SandboxSession> {
    const limits = this.resolveLimits(options.limits);
    const spare = await this.adoptSpare(options, limits);
    const { record, starterWritten } = spare
      ? { record: spare, starterWritten: false }
      : await this.createWithProbeInBackground(options, limits);
    try {
      if (!starterWritten) await this.writeStarterFiles(record, options.files ?? [], options.workdir);
      record.status = 'ready';
      this.options.registry.save(record);
    } catch (error) {
      await this.end(record.id, 'failed', `could not write the starter files: ${describeError(error)}`);
      throw new SessionStartError(`the lab could not be prepared: ${describeError(error)}`);
    }
    this.live.set(record.id, this.liveSession(record, limits));
    this.watchProbe(record);
    return this.view(record, limits);
  }

  /**
   * Resolves when the session's probe has finished starting, whether it started or not (at most
   * the probe's deadline): what a start's admission waits for before it lets the next one in, so a
   * burst does not pile probe starts onto the engine behind the learners' backs.
   */
  async probeSettled(id: string): Promise<void> {
    await this.probeStarts.get(id)?.wait();
  }

  /**
   * Creates and starts the containers of one sandbox, probe included, and records it: the warm
   * pool's spares, which are made ahead of time and may take the probe's start in their stride.
   */
  async create(
    options: Omit<StartSessionOptions, 'files'>,
    limits: SandboxLimits,
    status: SessionStatus,
  ): Promise<SessionRecord> {
    this.presence.claim();
    const { record, probeStarted } = await this.builder.build(options, limits, status, this.presence.id);
    try {
      await probeStarted;
      return record;
    } catch (error) {
      await this.destroy(record);
      this.options.registry.end(record.id, 'failed', describeError(error), this.now().toISOString());
      throw new SessionStartError(`the sandbox's probe could not start: ${describeError(error)}`);
    }
  }

  /** A learner's sandbox, answered once its lab is ready; its probe's start is tracked in `probeStarts`. */
  private async createWithProbeInBackground(
    options: StartSessionOptions,
    limits: SandboxLimits,
  ): Promise<{ record: SessionRecord; starterWritten: boolean }> {
    this.presence.claim();
    const { record, probeStarted, starterWritten } = await this.builder.build(
      { ...options, starter: { files: options.files ?? [], maxBytes: this.caps.fileMaxBytes } },
      limits,
      'starting',
      this.presence.id,
    );
    const probe = new ProbeStart(probeStarted);
    this.probeStarts.set(record.id, probe);
    // A probe that started is forgotten at once; a failed one stays until its session has ended.
    void probe.settled.then(() => {
      if (!probe.failed && this.probeStarts.get(record.id) === probe) this.probeStarts.delete(record.id);
    });
    return { record, starterWritten };
  }

  /** Ends a live session whose probe failed to start, without waiting for anyone to need it. */
  private watchProbe(record: SessionRecord): void {
    const probe = this.probeStarts.get(record.id);
    if (!probe) return;
    void probe.settled.then(async () => {
      if (probe.failed) await this.endForProbe(record, probe.failed).catch(() => undefined);
    });
  }

  /** Ends the session for its probe, once: those waiting for the probe are told by their own error. */
  private async endForProbe(record: SessionRecord, reason: string): Promise<void> {
    if (this.live.get(record.id)?.record !== record) return;
    this.probeFailures.set(record.id, reason);
    // Only the last few are kept: enough for the requests that were on their way.
    for (const old of this.probeFailures.keys()) {
      if (this.probeFailures.size <= 100) break;
      this.probeFailures.delete(old);
    }
    await this.end(record.id, 'failed', `the grader's probe container ${reason}`);
  }

  private probeUnavailable(reason: string): ProbeUnavailableError {
    return new ProbeUnavailableError(
      `The grader is unavailable: this session's probe container ${reason}. The session has ended; start the lab again.`,
    );
  }

  /**
   * The session's probe container once it runs: waits for a start still under way (at most the
   * deadline). A probe that failed to start, or did not in time, ends the session and is reported as
   * the grader being unavailable (ProbeUnavailableError), never a hang and never a verdict.
   */
  private async probeContainer(id: string): Promise<string> {
    const failed = this.live.has(id) ? undefined : this.probeFailures.get(id);
    if (failed) throw this.probeUnavailable(failed);
    const live = this.require(id);
    const container = live.record.containers.probe;
    if (!container) throw new SessionNotFoundError(`session ${id} has no probe container`);
    const probe = this.probeStarts.get(id);
    if (!probe) return container;
    const outcome = await probe.wait(PROBE_START_DEADLINE_MS);
    if (outcome.ok) return container;
    await this.endForProbe(live.record, outcome.reason);
    throw this.probeUnavailable(outcome.reason);
  }

  /** The container an exec or stream runs in: the lab's at once, the probe's once it has started. */
  private async containerFor(id: string, target: 'lab' | 'probe'): Promise<string> {
    if (target === 'probe') return this.probeContainer(id);
    const container = this.require(id).record.containers.lab;
    if (!container) throw new SessionNotFoundError(`session ${id} has no lab container`);
    return container;
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
      const vanished = await this.builder.vanished(pooled.record);
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

  /**
   * The live session once the engine confirms its containers still run. A session whose sandbox
   * vanished (removed from outside, the engine restarted) is ended and reported as gone.
   */
  async verify(id: string): Promise<SandboxSession | undefined> {
    const live = this.live.get(id);
    if (!live) return undefined;
    // A probe still starting is not a probe gone: whoever needs it waits for it.
    const roles = this.probeStarts.get(id)?.pending ? (['lab'] as const) : (['lab', 'probe'] as const);
    const vanished = await this.builder.vanished(live.record, roles);
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
    if (this.now().getTime() - live.lastTouchWrittenMs >= TOUCH_WRITE_INTERVAL_MS) {
      live.lastTouchWrittenMs = this.now().getTime();
      this.options.registry.touch(id, live.record.lastActivityAt);
    }
  }

  async exec(id: string, options: ExecInSessionOptions): Promise<ExecResult> {
    const container = await this.containerFor(id, options.in ?? 'lab');
    const live = this.require(id);
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

  async openShell(id: string, size: { cols: number; rows: number }, env?: string[]): Promise<PtyHandle> {
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
        env,
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
   * A long-lived command in the lab or the probe with its stdin and stdout as one stream and its
   * stderr apart (the grader's agent). It runs beside the session's execs, outside their slots: it is
   * one process, not one per request.
   */
  async openExecStream(
    id: string,
    options: { argv: string[]; in: 'lab' | 'probe'; env?: string[] },
  ): Promise<ExecStream> {
    const container = await this.containerFor(id, options.in);
    try {
      return await this.options.runtime.openStream(container, { argv: options.argv, env: options.env });
    } catch (error) {
      throw await this.explainDeadSandbox(id, error);
    }
  }

  /**
   * A byte stream to a TCP port on the session's own loopback, made in its probe container (which
   * shares only the lab's network namespace): what the preview relay sends a browser's bytes through.
   */
  async openPort(id: string, port: number): Promise<Duplex> {
    const probe = await this.probeContainer(id);
    return openPortStream(this.options.runtime, probe, port);
  }

  /**
   * Reads a file of the lab with the learner's own permissions (see learner-files.ts): what the
   * files API serves and a `file` check reads is never more than the learner's shell could read.
   * `exec` runs the read in the lab: the grader passes its own, which batches a step's commands.
   */
  async readFile(
    id: string,
    path: string,
    exec: (options: ExecInSessionOptions) => Promise<ExecResult> = (options) => this.exec(id, options),
  ): Promise<Buffer> {
    const live = this.require(id);
    return readAsLearner(exec, path, live.limits.fileMaxBytes);
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
    return this.options.runtime.usage(await this.containerFor(id, target));
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
  sweep(): Promise<string[]> {
    return this.housekeeping.sweep();
  }

  /** Adopts or ends what processes that are gone left, then reaps (see Housekeeping.recover). */
  recover(): Promise<{ adopted: string[]; ended: string[]; reaped: number }> {
    return this.housekeeping.recover();
  }

  /** Ends every live session of the registry, whoever holds it, then reaps (`keiko sessions stop --all`). */
  stopAll(reason: string): Promise<{ stopped: number; reaped: number }> {
    return this.housekeeping.stopAll(reason);
  }

  /** Removes this installation's objects that no session owns (see Housekeeping.reap). */
  reap(): Promise<number> {
    return this.housekeeping.reap();
  }

  /** Sweeps and recovers every interval until `close`. */
  startSweeper(intervalMs: number): void {
    this.housekeeping.start(intervalMs);
  }

  /**
   * Stops the sweeper and the heartbeat, and tells the registry this process is gone. Sessions stay:
   * a restarted server adopts them at once (see `recover`).
   */
  close(): void {
    this.housekeeping.stop();
    this.presence.close();
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
      holderId: this.presence.id,
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
    await writeStarterFiles(this.options.runtime, record.containers.lab!, files, workdir, {
      maxBytes: this.caps.fileMaxBytes,
      uid: LEARNER.uid,
      gid: LEARNER.gid,
    });
  }

  /**
   * Removes the record's objects once its probe's start (if one is under way) has ended: a container
   * removed while the engine starts it could be left behind, or its start fail on a half-removed one.
   */
  private async destroy(record: SessionRecord): Promise<void> {
    const probe = this.probeStarts.get(record.id);
    if (probe?.pending) await probe.wait(PROBE_START_DEADLINE_MS);
    await this.builder.destroy(record);
    if (this.probeStarts.get(record.id) === probe) this.probeStarts.delete(record.id);
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
      lastTouchWrittenMs: this.now().getTime(),
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
