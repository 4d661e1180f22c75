import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { MemoryRuntime } from '../runtime/memory/memory-runtime';
import { bootstrappableSuite, ensureBaseImage } from './base-image';
import { CONTEXT_HASH_LABEL, ensureLabImage, imageStatuses, prepareImages } from './lab-images';
import type { ImageProgress } from './progress';

function labImages(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'keiko-labimages-'));
  for (const [name, dockerfile] of [
    ['bottle', 'FROM debian:bookworm\nRUN true\n'],
    ['h2proxy', 'FROM keiko/bottle\nRUN true\n'],
  ] as const) {
    fs.mkdirSync(path.join(dir, name));
    fs.writeFileSync(path.join(dir, name, 'Dockerfile'), dockerfile);
  }
  return dir;
}

function runtimeWithBase(): MemoryRuntime {
  const runtime = new MemoryRuntime();
  runtime.registry.add('debian:bookworm');
  return runtime;
}

const options = (events: ImageProgress[] = []) => ({
  workDir: os.tmpdir(),
  onProgress: (e: ImageProgress) => events.push(e),
});

describe('prepareImages', () => {
  it('pulls a missing base, then builds lab images in dependency order with a context label', async () => {
    const runtime = runtimeWithBase();
    const result = await prepareImages(runtime, labImages(), options());
    expect(runtime.calls).toEqual([
      'pull debian:bookworm',
      'build keiko/bottle:latest',
      'build keiko/h2proxy:latest',
    ]);
    expect(result.labs.map((lab) => lab.status)).toEqual(['built', 'built']);
    expect(runtime.images.get('keiko/bottle:latest')?.labels[CONTEXT_HASH_LABEL]).toMatch(/^[0-9a-f]{64}$/);
  });

  it('does no work on a second run when nothing changed', async () => {
    const runtime = runtimeWithBase();
    const dir = labImages();
    await prepareImages(runtime, dir, options());
    runtime.calls.length = 0;
    const events: ImageProgress[] = [];
    const result = await prepareImages(runtime, dir, options(events));
    expect(runtime.calls).toEqual([]);
    expect(result.labs.map((lab) => lab.status)).toEqual(['up-to-date', 'up-to-date']);
    expect(events.filter((event) => event.phase === 'build')).toEqual([]);
  });

  it('rebuilds an image and the images built FROM it when its folder changes', async () => {
    const runtime = runtimeWithBase();
    const dir = labImages();
    await prepareImages(runtime, dir, options());
    runtime.calls.length = 0;
    fs.writeFileSync(path.join(dir, 'bottle', 'extra.txt'), 'new file\n');
    await prepareImages(runtime, dir, options());
    expect(runtime.calls).toEqual(['build keiko/bottle:latest', 'build keiko/h2proxy:latest']);
  });

  it('rebuilds without the layer cache when forced with noCache', async () => {
    const runtime = runtimeWithBase();
    const dir = labImages();
    await prepareImages(runtime, dir, options());
    runtime.calls.length = 0;
    const spec = {
      name: 'bottle',
      tag: 'keiko/bottle:latest',
      contextDir: path.join(dir, 'bottle'),
      from: ['debian:bookworm'],
    };
    await ensureLabImage(runtime, spec, { ...options(), force: true, noCache: true });
    expect(runtime.calls).toEqual(['build keiko/bottle:latest (no cache)']);
  });

  it('builds only the named image and what it starts from', async () => {
    const runtime = runtimeWithBase();
    await prepareImages(runtime, labImages(), { ...options(), only: ['bottle'] });
    expect(runtime.calls).toEqual(['pull debian:bookworm', 'build keiko/bottle:latest']);
  });

  it('names the known images when asked for an unknown one', async () => {
    await expect(
      prepareImages(runtimeWithBase(), labImages(), { ...options(), only: ['nginx'] }),
    ).rejects.toThrow(/no lab image named nginx; known: bottle, h2proxy/);
  });

  it('reports stale images as built but not current', async () => {
    const runtime = runtimeWithBase();
    const dir = labImages();
    await prepareImages(runtime, dir, options());
    fs.writeFileSync(path.join(dir, 'h2proxy', 'Dockerfile'), 'FROM keiko/bottle\nRUN echo changed\n');
    expect(await imageStatuses(runtime, dir)).toEqual([
      { name: 'debian:bookworm', built: true, current: true },
      { name: 'keiko/bottle:latest', built: true, current: true },
      { name: 'keiko/h2proxy:latest', built: true, current: false },
    ]);
  });
});

describe('ensureBaseImage', () => {
  it('explains why an unpullable image that is not Debian cannot be made', async () => {
    await expect(ensureBaseImage(new MemoryRuntime(), 'alpine:3.20', options())).rejects.toThrow(
      /alpine:3\.20 is not on this engine and cannot be pulled .*Only debian:<suite>/,
    );
  });

  it('uses an image that is already there without pulling', async () => {
    const runtime = runtimeWithBase();
    await runtime.pullImage('debian:bookworm');
    runtime.calls.length = 0;
    expect((await ensureBaseImage(runtime, 'debian:bookworm', options())).status).toBe('present');
    expect(runtime.calls).toEqual([]);
  });
});

describe('bootstrappableSuite', () => {
  it.each([
    ['debian:bookworm', 'bookworm'],
    ['debian:bookworm-slim', 'bookworm'],
    ['registry.test/library/debian:trixie', 'trixie'],
    ['ubuntu:24.04', undefined],
    ['debian:12', undefined],
    ['notdebian:bookworm', undefined],
  ])('%s -> %s', (tag, suite) => {
    expect(bootstrappableSuite(tag)).toBe(suite);
  });
});
