import os from 'node:os';
import path from 'node:path';
import {
  defaultPlatformLimits,
  DockerRuntime,
  labImageTag,
  readImageCatalog,
  SessionManager,
  ShellHub,
  WarmPool,
  type ContainerRuntime,
  type HolderKind,
} from '@/sandbox';
import { readProbeAgentSource, readProbeScripts } from '@/grader';
import { Store } from '@/store';
import { parseEnv, type Env } from './env';
import { CourseCatalog, lessonCacheDir } from './course-catalog';
import { LearnerLabs } from './learner-labs';
import { LiveSteps } from './live-steps';
import { LEARNER_COOKIE, SECURE_LEARNER_COOKIE } from './identity';
import { PreviewService } from './preview';

/** Folders of the project that hold data, resolved once from the project root. */
export interface ProjectPaths {
  rootDir: string;
  labsDir: string;
  imagesDir: string;
  contentDir: string;
  /** Scratch space for image bootstraps, inside the data directory. */
  workDir: string;
  logDir: string;
}

/** Everything a running Keiko shares between the web server, the terminal gateway and the CLI. */
export interface Platform {
  env: Env;
  paths: ProjectPaths;
  store: Store;
  runtime: ContainerRuntime;
  /** The live sandboxes of this process (and the shared registry of all of them). */
  sandboxes: SessionManager;
  learnerLabs: LearnerLabs;
  courses: CourseCatalog;
  shells: ShellHub;
  /** Re-checks the first unfinished step while a page or terminal has the lab open. */
  liveSteps: LiveSteps;
  /** Learners' own servers in their browsers: preview origins and TLS passthrough (docs/preview.md). */
  preview: PreviewService;
  /** Adopts or reaps what a previous run left, then keeps sandboxes swept and the warm pool full. */
  startBackgroundWork(): Promise<void>;
  close(): Promise<void>;
}

/** The platform's limits: the defaults sized for this host, with the environment's overrides. */
export function platformLimits(env: Env) {
  const limits = defaultPlatformLimits(os.totalmem());
  return env.KEIKO_MAX_SESSIONS === undefined ? limits : { ...limits, liveSessions: env.KEIKO_MAX_SESSIONS };
}

/** The image graders run beside every lab. */
export const PROBE_IMAGE = labImageTag('probe');

export function projectPaths(rootDir: string, env: Env): ProjectPaths {
  return {
    rootDir,
    labsDir: env.labsDir,
    imagesDir: path.join(rootDir, 'labs', 'images'),
    contentDir: env.contentDir,
    workDir: path.join(env.dataDir, 'work'),
    logDir: path.join(env.dataDir, 'logs'),
  };
}

/**
 * `holder` says which kind of process this is (the web server, `keiko grade`, …): processes that
 * share a data directory share its sandboxes, and each leaves the others' alone.
 */
export function createPlatform(options: { rootDir: string; env?: Env; holder?: HolderKind }): Platform {
  const env = options.env ?? parseEnv(process.env, options.rootDir);
  const store = Store.open(env.dataDir);
  const paths = projectPaths(options.rootDir, env);
  const runtime = new DockerRuntime({ dockerHost: env.DOCKER_HOST });
  const sandboxes = new SessionManager({
    runtime,
    registry: store.sessions,
    probeImage: PROBE_IMAGE,
    instance: env.KEIKO_INSTANCE ?? store.instanceId,
    holder: options.holder ?? 'cli',
    orphanGraceMs: env.KEIKO_ORPHAN_GRACE_MS,
  });
  let pool: WarmPool | undefined;
  const learnerLabs = new LearnerLabs({
    manager: sandboxes,
    env,
    labsDir: paths.labsDir,
    secret: store.serverSecret,
    progress: store.progress,
    probeScripts: readProbeScripts(options.rootDir),
    probeAgentSource: readProbeAgentSource(options.rootDir),
    limits: platformLimits(env),
  });
  const shells = new ShellHub(sandboxes);
  const liveSteps = new LiveSteps({
    get: (id) => sandboxes.get(id),
    firstUnfinishedStep: (session) => learnerLabs.firstUnfinishedStep(session),
    isGrading: (id) => learnerLabs.isGrading(id),
    checkStep: (session, stepId, options) => learnerLabs.checkStep(session, stepId, options),
    onStepEvent: (listener) => learnerLabs.onStepEvent(listener),
    warmGrader: (id) => learnerLabs.warmGrader(id),
  });
  shells.onCommandFinished((id) => liveSteps.nudge(id, 'command'));
  sandboxes.onSessionEnded((id) => liveSteps.forget(id));
  const preview = new PreviewService({
    sandboxes,
    secret: store.serverSecret,
    previewUrl: env.previewUrl,
    limits: platformLimits(env),
    platformCookies: [LEARNER_COOKIE, SECURE_LEARNER_COOKIE],
  });
  return {
    env,
    paths,
    store,
    runtime,
    sandboxes,
    learnerLabs,
    liveSteps,
    courses: new CourseCatalog({
      contentDir: paths.contentDir,
      cacheDir: lessonCacheDir(env.dataDir),
      labs: () => learnerLabs.labs(),
      progress: store.progress,
    }),
    shells,
    preview,
    async startBackgroundWork() {
      await sandboxes.recover();
      sandboxes.startSweeper(env.KEIKO_SWEEP_INTERVAL_MS);
      // Spares only for the images this installation's labs use: each spare is two containers.
      const used = new Set(learnerLabs.labs().map((lab) => labImageTag(lab.image)));
      const labImages = readImageCatalog(paths.imagesDir).labs.filter((spec) => used.has(spec.tag));
      pool = new WarmPool(
        sandboxes,
        Object.fromEntries(labImages.map((spec) => [spec.tag, env.KEIKO_POOL_SIZE])),
      );
      void pool.fillAll();
    },
    async close() {
      preview.close();
      sandboxes.close();
      await pool?.drain();
      store.close();
    },
  };
}

// The custom server and the Next.js route bundles are separate module graphs in one process:
// the platform lives on globalThis so both see the same store and the same live sandboxes.
const GLOBAL_KEY = Symbol.for('keiko.platform');
type PlatformHolder = { [GLOBAL_KEY]?: Platform };

export function installPlatform(platform: Platform): void {
  (globalThis as PlatformHolder)[GLOBAL_KEY] = platform;
}

/** The platform the server installed; created from the environment when none was (e.g. `next dev`). */
export function currentPlatform(): Platform {
  const holder = globalThis as PlatformHolder;
  holder[GLOBAL_KEY] ??= createPlatform({ rootDir: process.cwd(), holder: 'server' });
  return holder[GLOBAL_KEY];
}

/** The environment of this process, parsed: for commands that need paths but no engine or store. */
export function processEnv(cwd = process.cwd()): Env {
  return parseEnv(process.env, cwd);
}
