// Attack (or accident): the containers of this installation are removed behind the serving
// platform's back (another `keiko sessions stop --all`, a benchmark's clean-up, `docker rm`): the next
// start used to take a dead spare from the warm pool and answer 500 ("no such container").
// Defence: a spare's containers are confirmed running before it is handed out, a learner's live
// session is confirmed before it is resumed, and the sweeper ends sessions whose containers are gone;
// the learner gets a fresh sandbox, never a 500.
import { describe, expect, it } from 'vitest';
import { DockerRuntime, LABELS } from '@/sandbox';
import { useServer } from '../../support/server';

const runtime = new DockerRuntime({ dockerHost: process.env.DOCKER_HOST });
const server = useServer('vanished', { KEIKO_POOL_SIZE: '1' });

/** Removes every container of this run's instance whose session the filter picks, as `docker rm -f` would. */
async function removeContainers(pick: (labels: Record<string, string>) => boolean): Promise<number> {
  const { containers } = await runtime.listLabelled(LABELS.session);
  const doomed = containers.filter(
    (c) => c.labels[LABELS.instance] === process.env.KEIKO_INSTANCE && pick(c.labels),
  );
  await Promise.all(doomed.map((c) => runtime.removeContainer(c.id)));
  return doomed.length;
}

async function waitForSpare(): Promise<void> {
  for (let i = 0; i < 240; i += 1) {
    const { containers } = await runtime.listLabelled(LABELS.session);
    const spares = containers.filter(
      (c) =>
        c.labels[LABELS.instance] === process.env.KEIKO_INSTANCE &&
        c.labels[LABELS.lab] === 'pool' &&
        c.running,
    );
    if (spares.length >= 2) return; // lab and probe
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error('the warm pool made no spare');
}

describe('sandboxes removed behind the platform', () => {
  it('a dead spare is skipped: the start answers 201 with a working sandbox', async () => {
    await waitForSpare();
    expect(await removeContainers((labels) => labels[LABELS.lab] === 'pool')).toBe(2);
    const response = await fetch(`${server.url}/api/labs/example-files/sessions`, { method: 'POST' });
    expect(response.status).toBe(201);
    const session = (await response.json()) as { id: string; token: string };
    const check = await fetch(`${server.url}/api/sessions/${session.id}/steps/greeting/check`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${session.token}` },
    });
    expect(check.status).toBe(200);
  });

  it('a learner whose session vanished gets a new one on the next start, and the old one answers 404', async () => {
    const first = await fetch(`${server.url}/api/labs/example-files/sessions`, { method: 'POST' });
    const cookie = (first.headers.get('set-cookie') ?? '').split(';')[0]!;
    const old = (await first.json()) as { id: string; token: string };
    expect(await removeContainers((labels) => labels[LABELS.session] === old.id)).toBe(2);
    const again = await fetch(`${server.url}/api/labs/example-files/sessions`, {
      method: 'POST',
      headers: { Cookie: cookie },
    });
    expect(again.status).toBe(201);
    expect(((await again.json()) as { id: string }).id).not.toBe(old.id);
    const gone = await fetch(`${server.url}/api/sessions/${old.id}`, {
      headers: { Authorization: `Bearer ${old.token}` },
    });
    expect(gone.status).toBe(404);
    expect(server.logs()).not.toMatch(/no such container/i);
  });
});
