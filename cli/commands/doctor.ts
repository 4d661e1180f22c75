import { createPlatform, healthReport, type Health, type Platform } from '@/platform';
import { DEFAULT_INSTANCE, instanceOf, LABELS } from '@/sandbox';
import { dataDirExposure } from '@/store';
import { PROJECT_ROOT } from '../project-root';

/** Another installation's sandboxes on the same engine: listed, never touched. */
interface OtherInstance {
  instance: string;
  containers: number;
  volumes: number;
}

/** `keiko doctor`: every dependency's state, and the command that fixes each problem. */
export async function doctor(options: { json: boolean }): Promise<number> {
  const platform = createPlatform({ rootDir: PROJECT_ROOT });
  try {
    const health = await healthReport(platform);
    const warnings = dataDirExposure(platform.env.dataDir);
    const otherInstances = health.docker.reachable ? await otherInstancesOnEngine(platform) : [];
    if (options.json) console.log(JSON.stringify({ ...health, warnings, otherInstances }, null, 2));
    else {
      const lines = [formatHealth(health)];
      for (const warning of warnings)
        lines.push(`warning: the data directory is readable by others: ${warning}`);
      for (const other of otherInstances)
        lines.push(
          `note: installation ${other.instance} has ${other.containers} containers and ${other.volumes} volumes on this engine (left alone)`,
        );
      console.log(lines.join('\n'));
    }
    return health.ok ? 0 : 1;
  } finally {
    await platform.close();
  }
}

async function otherInstancesOnEngine(platform: Platform): Promise<OtherInstance[]> {
  const all = await platform.runtime.listLabelled(LABELS.session);
  const mine = platform.sandboxes.instance;
  const others = new Map<string, OtherInstance>();
  const count = (labels: Record<string, string>, kind: 'containers' | 'volumes') => {
    const instance = instanceOf(labels);
    if (instance === mine) return;
    if (instance === DEFAULT_INSTANCE && platform.store.sessions.get(labels[LABELS.session] ?? '')) return;
    const entry = others.get(instance) ?? { instance, containers: 0, volumes: 0 };
    entry[kind] += 1;
    others.set(instance, entry);
  };
  for (const container of all.containers) count(container.labels, 'containers');
  for (const volume of all.volumes) count(volume.labels, 'volumes');
  return [...others.values()].sort((a, b) => a.instance.localeCompare(b.instance));
}

export function formatHealth(health: Health): string {
  const mark = (ok: boolean) => (ok ? 'ok  ' : 'FAIL');
  const lines = [
    `${mark(health.node.ok)}  Node ${health.node.version}`,
    `${mark(health.docker.reachable)}  Docker engine ${health.docker.version ?? 'not reachable'} at ${health.docker.endpoint}`,
    ...health.images.map(
      (image) =>
        `${mark(image.built)}  image ${image.name}: ${image.built ? (image.current ? 'built' : 'built, but older than its folder') : 'not built'}`,
    ),
    `${mark(health.store.ok)}  store ${health.store.path} (schema ${health.store.schemaVersion})`,
  ];
  if (health.problems.length) {
    lines.push('', 'To fix:');
    for (const problem of health.problems) lines.push(`  - ${problem.what}\n      run: ${problem.fix}`);
  }
  lines.push('', health.ok ? 'Keiko is ready.' : 'Keiko is not ready.');
  return lines.join('\n');
}
