import {
  DockerRuntime,
  LABELS,
  SessionManager,
  labImageTag,
  type LimitOverrides,
  type SandboxLimits,
} from '@/sandbox';
import { DEFAULT_LIMITS } from '@/sandbox';
import { Store } from '@/store';
import { tempDir } from './temp';

export const LAB_IMAGE = labImageTag('bottle');
export const PROBE_IMAGE = labImageTag('probe');

export interface SandboxFixture {
  dataDir: string;
  runtime: DockerRuntime;
  manager: SessionManager;
  store: Store;
  /** Stops every session the fixture started, checks nothing is left, closes the store. */
  dispose(): Promise<void>;
}

/** A session manager on the real engine with a real store in a temp folder. */
export function sandboxFixture(options: { defaults?: Partial<SandboxLimits> } = {}): SandboxFixture {
  const runtime = new DockerRuntime({ dockerHost: process.env.DOCKER_HOST });
  const data = tempDir('sandbox');
  const store = Store.open(data.dir);
  const manager = new SessionManager({
    runtime,
    registry: store.sessions,
    probeImage: PROBE_IMAGE,
    instance: process.env.KEIKO_INSTANCE,
    defaults: { ...DEFAULT_LIMITS, ...options.defaults },
  });
  return {
    dataDir: data.dir,
    runtime,
    manager,
    store,
    async dispose() {
      manager.close();
      for (const session of manager.list()) await manager.stop(session.id, 'test finished');
      store.close();
      data.remove();
    },
  };
}

export function startLab(fixture: SandboxFixture, limits?: LimitOverrides, image = LAB_IMAGE) {
  return fixture.manager.start({ labId: 'test-lab', image, ownerId: 'learner-test', limits });
}

/** Containers and volumes labelled for this session that still exist. */
export async function leftovers(runtime: DockerRuntime, sessionId: string): Promise<number> {
  const { containers, volumes } = await runtime.listLabelled(LABELS.session);
  return [...containers, ...volumes].filter((object) => object.labels[LABELS.session] === sessionId).length;
}
