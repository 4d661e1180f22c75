import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { GradingTrigger, SessionObject, StepEvent, StepView } from '@/contract';
import { loadLabs, type LabDefinition } from '@/course';
import {
  clipCheckResult,
  clipStepResult,
  gradeStep,
  mayChangeLab,
  installLabCaOrEnd,
  WarmGraderSandbox,
  type GradeOptions,
  type GradeProgress,
  type ProbeScripts,
  type StepResult,
} from '@/grader';
import {
  defaultPlatformLimits,
  labImageTag,
  LimitOverridesSchema,
  RateWindow,
  StartAdmission,
  TooManyRequestsError,
  type SandboxSession,
  type PlatformLimits,
  type SessionManager,
} from '@/sandbox';
import type { ProgressRepository } from '@/store';
import type { Env } from './env';
import { sessionToken, verifySessionToken } from './identity';

/**
 * The request header carrying the client's address: the custom server sets it from the socket on
 * every request (overwriting anything a client sent), for the per-address start limit.
 */
export const CLIENT_ADDRESS_HEADER = 'x-keiko-client-address';

export interface CheckStepOptions extends Pick<GradeOptions, 'patient'> {
  /** What set the grading off; the learner's Check unless said otherwise. */
  trigger?: GradingTrigger;
}

/** Thrown when a lab id names no lab. */
export class LabNotFoundError extends Error {
  override name = 'LabNotFoundError';
}

/** Thrown when a step id names no step of the session's lab, or the step has no solution. */
export class StepNotFoundError extends Error {
  override name = 'StepNotFoundError';
}

/** Who is asking: a learner by their cookie, or anyone holding the session's token. */
export interface Caller {
  learnerId?: string;
  token?: string;
}

export interface LearnerLabsOptions {
  manager: SessionManager;
  env: Env;
  labsDir: string;
  secret: Buffer;
  progress: ProgressRepository;
  /** The probe scripts the grader runs (grader/probes/*), read once. */
  probeScripts: ProbeScripts;
  /** The source of the grader's warm probe agent (grader/probes/probe-agent.mjs), read once. */
  probeAgentSource: string;
  /** Limits on starts and gradings across everyone (sandbox/limits.ts); sized for this host if absent. */
  limits?: PlatformLimits;
}

/**
 * Learners' lab sessions as the HTTP API, the CLI and the terminal see them: one live session per
 * learner and lab, reachable only by its owner or its token (everything else answers "not found"),
 * graded step by step with every attempt recorded.
 */
export class LearnerLabs {
  private readonly manager: SessionManager;
  private readonly admission: StartAdmission;
  private readonly checkRate: RateWindow;
  /** Starts under way per learner and lab: a second request joins the first. */
  private readonly starting = new Map<string, Promise<SessionObject>>();
  /** The grading under way per session: one at a time; a repeat of the same step shares it. */
  private readonly grading = new Map<string, { stepId: string; result: Promise<StepResult> }>();
  private readonly limits: PlatformLimits;
  private readonly stepListeners: ((sessionId: string, event: StepEvent) => void)[] = [];
  /** Checks run through one warm agent per session in its probe, not a `docker exec` each. */
  readonly grader: WarmGraderSandbox;

  constructor(private readonly options: LearnerLabsOptions) {
    this.manager = options.manager;
    this.grader = new WarmGraderSandbox(options.manager, options.probeAgentSource);
    options.manager.onSessionEnded((id) => this.grader.forget(id));
    this.limits = options.limits ?? defaultPlatformLimits(os.totalmem());
    this.admission = new StartAdmission(this.limits);
    this.checkRate = new RateWindow(this.limits.checksPerSessionPerMinute);
  }

  labs(): LabDefinition[] {
    return loadLabs(this.options.labsDir);
  }

  lab(labId: string): LabDefinition | undefined {
    return this.labs().find((lab) => lab.id === labId);
  }

  /** The learner's live session for the lab, if they have one. */
  liveSession(labId: string, learnerId: string): SandboxSession | undefined {
    return this.manager.list().find((session) => session.labId === labId && session.ownerId === learnerId);
  }

  /** The lab's steps with the learner's record (kept across sessions and resets). */
  stepsFor(lab: LabDefinition, learnerId: string | undefined): StepView[] {
    const progress = learnerId ? this.options.progress.forLab(learnerId, lab.id) : new Map();
    return lab.steps.map((step) => {
      const done = progress.get(step.id);
      return {
        id: step.id,
        title: step.title,
        hint: step.hint ?? null,
        passed: done?.passed ?? false,
        attempts: done?.attempts ?? 0,
      };
    });
  }

  /**
   * The learner's live session for the lab, or a new one. A live session whose sandbox vanished is
   * ended and replaced; concurrent requests of one learner for one lab get one session; starts over
   * the platform's limits are refused with a TooManyRequestsError. `clientAddress` is absent for
   * the CLI, which the per-address limit does not count.
   */
  async startOrResume(
    labId: string,
    learnerId: string,
    clientAddress?: string,
  ): Promise<{ session: SessionObject; created: boolean }> {
    const lab = this.requireLab(labId);
    const key = `${learnerId}\0${labId}`;
    const pending = this.starting.get(key);
    if (pending) return { session: await pending, created: false };
    const existing = this.liveSession(labId, learnerId);
    const verified = existing ? await this.manager.verify(existing.id) : undefined;
    if (verified) return { session: this.toObject(verified, lab), created: false };
    const start = (async () => {
      const release = await this.admission.admit(this.manager.list().length, clientAddress);
      let session: SandboxSession;
      try {
        session = await this.manager.start({
          labId,
          image: labImageTag(lab.image),
          ownerId: learnerId,
          workdir: lab.workdir,
          limits: LimitOverridesSchema.parse(lab.limits ?? {}),
          files: starterFiles(lab),
        });
      } catch (error) {
        release();
        throw error;
      }
      release.sessionMade();
      // The learner is answered once the lab is ready, but the turn ends when the probe (starting in
      // the background) has too: the next start does not compete with it for the engine.
      void this.manager.probeSettled(session.id).finally(release);
      // The lab's own CA (lab.yaml `labCa`), made for this session: see grader/lab-ca.ts.
      if (lab.labCa) await installLabCaOrEnd(this.manager, session.id, lab.labCa);
      return this.toObject(session, lab);
    })();
    this.starting.set(key, start);
    try {
      return { session: await start, created: true };
    } finally {
      this.starting.delete(key);
    }
  }

  /** The session, when the caller owns it or holds its token; undefined otherwise (answer 404). */
  authorize(sessionId: string, caller: Caller): SandboxSession | undefined {
    const session = this.manager.get(sessionId);
    if (!session) return undefined;
    if (caller.learnerId && caller.learnerId === session.ownerId) return session;
    if (verifySessionToken(this.options.secret, sessionId, caller.token)) return session;
    return undefined;
  }

  view(session: SandboxSession): SessionObject {
    return this.toObject(session, this.lab(session.labId));
  }

  /**
   * Grades one step now and records the attempt; a step whose required steps have not passed is not
   * run. One grading at a time per session: asking again for the step being graded gets that
   * grading's result; another step waits for it. Gradings past the per-session rate are refused.
   */
  async checkStep(
    session: SandboxSession,
    stepId: string,
    options: CheckStepOptions = {},
  ): Promise<StepResult> {
    const running = this.grading.get(session.id);
    if (running?.stepId === stepId) return running.result;
    if (running) await running.result.catch(() => undefined);
    const trigger = options.trigger ?? 'click';
    // Live re-checks are paced by the platform (one at a time, seconds apart), not by the learner.
    const retry = trigger === 'click' ? this.checkRate.take(session.id) : undefined;
    if (retry !== undefined)
      throw new TooManyRequestsError(
        `This session asked for ${this.limits.checksPerSessionPerMinute} checks in the last minute; try again in ${retry} s.`,
        'checksPerSessionPerMinute',
        retry,
      );
    const result = this.grade(session, stepId, options);
    this.grading.set(session.id, { stepId, result });
    try {
      return await result;
    } finally {
      if (this.grading.get(session.id)?.result === result) this.grading.delete(session.id);
    }
  }

  /** Whether a grading runs for the session now. */
  isGrading(sessionId: string): boolean {
    return this.grading.has(sessionId);
  }

  /**
   * A learner has the lab open: start the session's probe agent now, so their first Check does not
   * wait for it (a Node start in the probe). A failure here is the first Check's to report.
   */
  warmGrader(sessionId: string): void {
    void this.grader.warm(sessionId).catch(() => undefined);
  }

  /** Calls the listener with each check and step of every grading, as they happen. */
  onStepEvent(listener: (sessionId: string, event: StepEvent) => void): void {
    this.stepListeners.push(listener);
  }

  /**
   * The first step the learner has not passed whose required steps have passed: what a live re-check
   * grades. Undefined when every step with checks has passed, or when that step has a check that
   * changes the lab (`changesLab`), which only the learner's Check runs.
   */
  firstUnfinishedStep(session: SandboxSession): string | undefined {
    const lab = this.lab(session.labId);
    if (!lab) return undefined;
    const progress = this.options.progress.forLab(session.ownerId, lab.id);
    const step = lab.steps.find(
      (candidate) =>
        candidate.checks.length > 0 &&
        !progress.get(candidate.id)?.passed &&
        candidate.requires.every((required) => progress.get(required)?.passed),
    );
    // A step with a check that may change the lab (a POST, a hang-up) waits for the learner's Check.
    return step && !step.checks.some(mayChangeLab) ? step.id : undefined;
  }

  private emit(sessionId: string, event: StepEvent): void {
    for (const listener of this.stepListeners) listener(sessionId, event);
  }

  private async grade(
    session: SandboxSession,
    stepId: string,
    options: CheckStepOptions,
  ): Promise<StepResult> {
    const lab = this.requireLab(session.labId);
    const step = this.requireStep(lab, stepId);
    const trigger = options.trigger ?? 'click';
    // A re-check because time passed is not the learner being active: it must not keep the sandbox alive.
    if (trigger !== 'tick') this.manager.touch(session.id);
    const onProgress = (progress: GradeProgress) =>
      this.emit(
        session.id,
        progress.state === 'running'
          ? {
              type: 'check-started',
              stepId,
              trigger,
              index: progress.index,
              name: progress.name,
              of: step.checks.length,
            }
          : {
              type: 'check-done',
              stepId,
              trigger,
              index: progress.index,
              result: clipCheckResult(progress.result, this.limits.evidenceMaxBytes),
            },
      );
    const progress = this.options.progress.forLab(session.ownerId, lab.id);
    const missing = step.requires.filter((required) => !progress.get(required)?.passed);
    const graded: StepResult = missing.length
      ? {
          stepId,
          passed: false,
          durationMs: 0,
          checks: [
            {
              name: 'earlier steps first',
              passed: false,
              message: `Finish ${missing.join(', ')} first.`,
              command: '',
              evidence: '',
            },
          ],
        }
      : await gradeStep(step, this.grader, session.id, this.options.probeScripts, {
          patient: options.patient,
          onProgress,
        });
    const result = clipStepResult(graded, this.limits.evidenceMaxBytes);
    this.emit(session.id, { type: 'step-done', trigger, result });
    // A live re-check that fails is not an attempt of the learner's; one that passes is their pass.
    if (trigger !== 'click' && !result.passed) return result;
    this.options.progress.recordAttempt({
      learnerId: session.ownerId,
      labId: lab.id,
      stepId,
      sessionId: session.id,
      passed: result.passed,
      result,
      at: new Date().toISOString(),
    });
    return result;
  }

  /** Runs the step's reference solution in the lab, as the learner (their "skip"). */
  async solveStep(session: SandboxSession, stepId: string): Promise<void> {
    const lab = this.requireLab(session.labId);
    const step = this.requireStep(lab, stepId);
    if (!step.solution) throw new StepNotFoundError(`step ${stepId} of ${lab.id} has no reference solution`);
    const script = fs.readFileSync(path.join(lab.dir, step.solution), 'utf8');
    this.manager.touch(session.id);
    const result = await this.manager.exec(session.id, {
      argv: ['bash', '-s'],
      stdin: script,
      timeoutMs: 120_000,
    });
    if (result.exitCode !== 0) {
      throw new Error(
        `the solution of ${stepId} failed (exit ${result.exitCode}): ${(result.stderr || result.stdout).trim().slice(-500)}`,
      );
    }
  }

  private requireLab(labId: string): LabDefinition {
    const lab = this.lab(labId);
    if (!lab) throw new LabNotFoundError(`no lab "${labId}"`);
    return lab;
  }

  private requireStep(lab: LabDefinition, stepId: string) {
    const step = lab.steps.find((candidate) => candidate.id === stepId);
    if (!step) throw new StepNotFoundError(`lab ${lab.id} has no step "${stepId}"`);
    return step;
  }

  private toObject(session: SandboxSession, lab: LabDefinition | undefined): SessionObject {
    const token = sessionToken(this.options.secret, session.id);
    const wsBase = this.options.env.publicUrl.replace(/^http/, 'ws');
    return {
      id: session.id,
      labId: session.labId,
      status: session.status,
      token,
      terminalUrl: `${wsBase}/api/sessions/${session.id}/terminal?token=${token}`,
      steps: lab ? this.stepsFor(lab, session.ownerId) : [],
      createdAt: session.createdAt.toISOString(),
      expiresAt: session.expiresAt.toISOString(),
      idleExpiresAt: session.idleExpiresAt.toISOString(),
    };
  }
}

/** The result with each check's text cut to `maxBytes`: what a learner controls is stored bounded. */
/** The files under a lab's `starter/` folder, to be copied into its workdir. */
function starterFiles(lab: LabDefinition): { path: string; content: Buffer; mode: number }[] {
  const root = path.join(lab.dir, 'starter');
  if (!fs.existsSync(root) || !lab.workdir) return [];
  const files: { path: string; content: Buffer; mode: number }[] = [];
  for (const entry of fs.readdirSync(root, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    const full = path.join(entry.parentPath, entry.name);
    const mode = fs.statSync(full).mode & 0o111 ? 0o755 : 0o644;
    files.push({
      path: path.posix.join(lab.workdir, path.relative(root, full).split(path.sep).join('/')),
      content: fs.readFileSync(full),
      mode,
    });
  }
  return files;
}
