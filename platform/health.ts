import { z } from 'zod';
import { imageStatuses } from '@/sandbox';
import type { Platform } from './platform';

export const HealthSchema = z.object({
  ok: z.boolean(),
  node: z.object({ version: z.string(), ok: z.boolean() }),
  docker: z.object({ reachable: z.boolean(), version: z.string().nullable(), endpoint: z.string() }),
  images: z.array(z.object({ name: z.string(), built: z.boolean(), current: z.boolean() })),
  store: z.object({ ok: z.boolean(), path: z.string(), schemaVersion: z.number() }),
  problems: z.array(z.object({ what: z.string(), fix: z.string() })),
});
export type Health = z.infer<typeof HealthSchema>;

export const MINIMUM_NODE_MAJOR = 20;

/** The state of everything Keiko depends on, with the command that fixes each problem. */
export async function healthReport(platform: Pick<Platform, 'runtime' | 'store' | 'paths'>): Promise<Health> {
  const problems: Health['problems'] = [];
  const nodeMajor = Number(process.versions.node.split('.')[0]);
  const nodeOk = nodeMajor >= MINIMUM_NODE_MAJOR;
  if (!nodeOk)
    problems.push({
      what: `Node ${process.versions.node} is too old`,
      fix: `install Node ${MINIMUM_NODE_MAJOR} or newer`,
    });

  const engine = await platform.runtime.engineInfo();
  if (!engine.reachable) {
    problems.push({
      what: `the Docker engine at ${engine.endpoint} is not reachable: ${engine.error}`,
      fix: 'npm run up',
    });
  }

  const images = engine.reachable ? await imageStatuses(platform.runtime, platform.paths.imagesDir) : [];
  for (const image of images) {
    if (!image.built)
      problems.push({ what: `image ${image.name} is not built`, fix: 'npx keiko images build' });
    else if (!image.current) {
      problems.push({
        what: `image ${image.name} is older than its Dockerfile folder`,
        fix: 'npx keiko images build',
      });
    }
  }

  const store = platform.store.status();
  if (!store.ok)
    problems.push({
      what: `the store ${store.path} is not writable: ${store.error}`,
      fix: 'check KEIKO_DATA_DIR',
    });

  return HealthSchema.parse({
    ok: nodeOk && engine.reachable && images.every((image) => image.built) && store.ok,
    node: { version: process.versions.node, ok: nodeOk },
    docker: {
      reachable: engine.reachable,
      version: engine.reachable ? engine.version : null,
      endpoint: engine.endpoint,
    },
    images: images.map(({ name, built, current }) => ({ name, built, current })),
    store: { ok: store.ok, path: store.path, schemaVersion: store.schemaVersion },
    problems,
  });
}
