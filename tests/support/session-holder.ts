// A stand-in for the server process in the crash test: it starts a session, fills a warm pool of one,
// begins a second start and reports each step on stdout, then waits to be killed.
import { DockerRuntime, SessionManager, WarmPool } from '@/sandbox';
import { Store } from '@/store';
import { LAB_IMAGE, PROBE_IMAGE } from './sandbox';

const dataDir = process.argv[2];
if (!dataDir) throw new Error('usage: session-holder.ts DATA_DIR');
const store = Store.open(dataDir);
const manager = new SessionManager({
  runtime: new DockerRuntime({ dockerHost: process.env.DOCKER_HOST }),
  registry: store.sessions,
  probeImage: PROBE_IMAGE,
  instance: process.env.KEIKO_INSTANCE,
  holder: 'server',
});
const pool = new WarmPool(manager, { [LAB_IMAGE]: 1 });

const ready = await manager.start({ labId: 'crash-lab', image: LAB_IMAGE, ownerId: 'crash-owner' });
console.log(JSON.stringify({ ready: ready.id }));
await pool.fillAll();
console.log(JSON.stringify({ pooled: pool.available(LAB_IMAGE) }));
void manager
  .start({ labId: 'crash-lab', image: 'keiko/probe:latest', ownerId: 'crash-owner' })
  .catch(() => {});
console.log(JSON.stringify({ starting: true }));
setInterval(() => {}, 1000);
