import { createPlatform, healthReport, type Health } from '@/platform';
import { PROJECT_ROOT } from '../project-root';

/** `keiko doctor`: every dependency's state, and the command that fixes each problem. */
export async function doctor(options: { json: boolean }): Promise<number> {
  const platform = createPlatform({ rootDir: PROJECT_ROOT });
  try {
    const health = await healthReport(platform);
    console.log(options.json ? JSON.stringify(health, null, 2) : formatHealth(health));
    return health.ok ? 0 : 1;
  } finally {
    await platform.close();
  }
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
