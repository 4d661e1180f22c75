// The server is killed with SIGKILL in the middle of a grading and of a file save. After it starts
// again on the same data directory, every step the learner had passed is still passed, the live
// session is adopted and still answers, and no container or volume of this installation is left
// without a live session record.
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DockerRuntime, instanceOf, LABELS } from '@/sandbox';
import { Store } from '@/store';
import { PROJECT_ROOT } from '../../support/cli';
import { startServer, type RunningServer } from '../../support/server';
import { tempDir } from '../../support/temp';

const data = tempDir('kill-during-work');
const runtime = new DockerRuntime({ dockerHost: process.env.DOCKER_HOST });
const env = {
  KEIKO_DATA_DIR: data.dir,
  KEIKO_LABS_DIR: path.join(PROJECT_ROOT, 'tests', 'fixtures', 'labs'),
  KEIKO_POOL_SIZE: '1',
};
let server: RunningServer | undefined;
afterAll(async () => {
  await server?.stop();
  data.remove();
});

type Session = { id: string; token: string; steps: { id: string; passed: boolean }[] };

describe('kill -9 in the middle of work', () => {
  it('keeps passed steps, adopts the live session and leaves no object without a record', async () => {
    server = await startServer(env);
    const api = (url: string, init: RequestInit = {}) =>
      fetch(`${server!.url}${url}`, {
        ...init,
        headers: { Authorization: `Bearer ${session.token}`, ...(init.headers ?? {}) },
      });
    const session = (await (
      await fetch(`${server.url}/api/labs/grading-demo/sessions`, { method: 'POST' })
    ).json()) as Session;
    expect((await api(`/api/sessions/${session.id}/steps/hello-file/solve`, { method: 'POST' })).status).toBe(
      200,
    );
    const passed = (await (
      await api(`/api/sessions/${session.id}/steps/hello-file/check`, { method: 'POST' })
    ).json()) as {
      passed: boolean;
    };
    expect(passed.passed).toBe(true);

    // A grading that takes seconds (nothing listens yet, the check retries) and a save, both in flight.
    const grading = api(`/api/sessions/${session.id}/steps/server/check`, { method: 'POST' }).catch(
      () => undefined,
    );
    const saving = api(`/api/sessions/${session.id}/files?path=/home/learner/app/notes.txt`, {
      method: 'PUT',
      body: 'x'.repeat(512 * 1024),
    }).catch(() => undefined);
    await new Promise((resolve) => setTimeout(resolve, 700));
    process.kill(server.pid, 'SIGKILL');
    await Promise.all([grading, saving]);

    server = await startServer(env);
    const again = await api(`/api/sessions/${session.id}`);
    expect(again.status).toBe(200);
    const view = (await again.json()) as Session;
    expect(view.steps.find((step) => step.id === 'hello-file')?.passed).toBe(true);
    const check = await api(`/api/sessions/${session.id}/steps/hello-file/check`, { method: 'POST' });
    expect(((await check.json()) as { passed: boolean }).passed).toBe(true);

    // Every labelled object of this installation belongs to a session with a record: a live one (the
    // adopted session, or a spare the new server made), or a spare the killed server was still making
    // (on a loaded machine the kill can land mid-start), which the restart ended and whose objects the
    // reaper removes once its holder's grace period has passed.
    const store = Store.open(data.dir);
    const { containers, volumes } = await runtime.listLabelled(LABELS.session);
    const orphans = [...containers, ...volumes].filter((object) => {
      const id = object.labels[LABELS.session] ?? '';
      if (instanceOf(object.labels) !== process.env.KEIKO_INSTANCE || id === 'seed') return false;
      const record = store.sessions.get(id);
      return !record || (record.endedAt !== undefined && object.labels[LABELS.lab] !== 'pool');
    });
    store.close();
    expect(orphans).toEqual([]);
  });
});
