// The base image path when no registry answers: debootstrap from the host's apt mirror, then
// `docker import` under the tag the Dockerfiles name. Against the real engine; takes about a minute.
import fs from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { DockerRuntime, ensureBaseImage, type ImageProgress } from '@/sandbox';
import { tempDir } from '../../support/temp';

const TAG = 'keiko-test/debian:bookworm';
const runtime = new DockerRuntime({ dockerHost: process.env.DOCKER_HOST });
const work = tempDir('bootstrap');

afterAll(async () => {
  await runtime.removeImage(TAG);
  work.remove();
});

describe('base image bootstrap', () => {
  it('bootstraps a Debian base with debootstrap when the registry cannot be reached', async () => {
    await runtime.removeImage(TAG);
    const events: ImageProgress[] = [];
    const outcome = await ensureBaseImage(runtime, TAG, {
      workDir: work.dir,
      onProgress: (e) => events.push(e),
    });

    expect(outcome.status).toBe('bootstrapped');
    if (outcome.status !== 'bootstrapped') return;
    expect(outcome.pullError).not.toBe('');
    expect(events.map((e) => e.phase)).toEqual(
      expect.arrayContaining(['pull', 'bootstrap', 'import', 'done']),
    );
    expect(outcome.image.labels['keiko.base-source']).toBe('debootstrap');
    expect(fs.readdirSync(work.dir)).toEqual([]); // the root filesystem folder is gone

    const release = await runtime.runOnce({
      image: TAG,
      cmd: ['cat', '/etc/debian_version'],
      timeoutMs: 30_000,
    });
    expect(release.exitCode).toBe(0);
    expect(release.stdout).toMatch(/^12\.\d+/);

    // apt inside the image reaches the same mirror the host uses, so `RUN apt-get install` works.
    const sources = await runtime.runOnce({
      image: TAG,
      cmd: ['cat', '/etc/apt/sources.list'],
      timeoutMs: 30_000,
    });
    expect(sources.stdout).toMatch(/^deb \S+ bookworm main/m);

    // What Docker's Debian images carry for builds, in force for every `RUN apt-get install` on it.
    const packaging = await runtime.runOnce({
      image: TAG,
      cmd: [
        'sh',
        '-c',
        'cat /etc/dpkg/dpkg.cfg.d/*; apt-config dump Acquire::Languages Dir::Cache::pkgcache',
      ],
      timeoutMs: 30_000,
    });
    expect(packaging.stdout).toMatch(/^force-unsafe-io$/m);
    expect(packaging.stdout).toMatch(/^Acquire::Languages:: "none";$/m);
    expect(packaging.stdout).toMatch(/^Dir::Cache::pkgcache "";$/m);
  });

  it('leaves an existing base image alone on the next run', async () => {
    const before = await runtime.inspectImage(TAG);
    const outcome = await ensureBaseImage(runtime, TAG, { workDir: work.dir, onProgress: () => {} });
    expect(outcome.status).toBe('present');
    expect(outcome.image.id).toBe(before?.id);
  });
});
