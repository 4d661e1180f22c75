import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { readProbeAgentSource, readProbeScripts } from '@/grader';
import { LearnerLabs, parseEnv } from '@/platform';
import type { SessionManager } from '@/sandbox';
import { Store } from '@/store';

/**
 * The labs of `<root>/labs` as the server runs them (warm grader, progress in a store of their own),
 * on the benchmark's session manager: what the grading benchmarks measure.
 */
export function benchLearnerLabs(
  manager: SessionManager,
  root: string,
  name: string,
): { learnerLabs: LearnerLabs; store: Store } {
  const store = Store.open(fs.mkdtempSync(path.join(os.tmpdir(), `keiko-bench-${name}-`)));
  const learnerLabs = new LearnerLabs({
    manager,
    env: parseEnv({ KEIKO_PUBLIC_URL: 'http://127.0.0.1:9' }),
    labsDir: path.join(root, 'labs'),
    secret: Buffer.alloc(32, 1),
    progress: store.progress,
    probeScripts: readProbeScripts(root),
    probeAgentSource: readProbeAgentSource(root),
  });
  return { learnerLabs, store };
}
