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

/** A runtime whose builds wait until the test lets them finish (or fail), to see what overlaps. */
class GatedRuntime extends MemoryRuntime {
  readonly running = new Set<string>();
  maxRunning = 0;
  private readonly gates = new Map<string, { open: () => void; fail: (error: Error) => void }>();

  override async buildImage(
    options: Parameters<MemoryRuntime['buildImage']>[0],
    onLine: (line: string) => void,
  ): ReturnType<MemoryRuntime['buildImage']> {
    this.running.add(options.tag);
    this.maxRunning = Math.max(this.maxRunning, this.running.size);
    try {
      await new Promise<void>((open, fail) => this.gates.set(options.tag, { open, fail }));
      return await super.buildImage(options, onLine);
    } finally {
      this.running.delete(options.tag);
    }
  }

  async finish(tag: string, error?: Error): Promise<void> {
    for (let tries = 0; !this.gates.has(tag); tries += 1) {
      if (tries > 100) throw new Error(`${tag} never started building`);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    const gate = this.gates.get(tag)!;
    this.gates.delete(tag);
    if (error) gate.fail(error);
    else gate.open();
  }
}

function independentImages(names: string[], extra: [string, string][] = []): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'keiko-labimages-'));
  for (const [name, dockerfile] of [
    ...names.map((name) => [name, 'FROM debian:bookworm\nRUN true\n'] as [string, string]),
    ...extra,
  ]) {
    fs.mkdirSync(path.join(dir, name));
    fs.writeFileSync(path.join(dir, name, 'Dockerfile'), dockerfile);
  }
  return dir;
}

describe('prepareImages, several at once', () => {
  it('builds independent images side by side, never more than the concurrency at once', async () => {
    const runtime = new GatedRuntime();
    runtime.registry.add('debian:bookworm');
    const done = prepareImages(runtime, independentImages(['a', 'b', 'c', 'd']), {
      ...options(),
      concurrency: 2,
    });
    await runtime.finish('keiko/a:latest');
    await runtime.finish('keiko/b:latest');
    await runtime.finish('keiko/c:latest');
    await runtime.finish('keiko/d:latest');
    const result = await done;
    expect(runtime.maxRunning).toBe(2);
    expect(result.labs.map((lab) => lab.status)).toEqual(['built', 'built', 'built', 'built']);
  });

  it('starts an image only once the image it starts FROM is built', async () => {
    const runtime = new GatedRuntime();
    runtime.registry.add('debian:bookworm');
    const dir = independentImages(['a', 'b'], [['child', 'FROM keiko/a\nRUN true\n']]);
    const done = prepareImages(runtime, dir, options());
    await runtime.finish('keiko/b:latest');
    expect(runtime.running.has('keiko/child:latest')).toBe(false);
    await runtime.finish('keiko/a:latest');
    await runtime.finish('keiko/child:latest');
    await done;
    expect(runtime.calls.indexOf('build keiko/child:latest')).toBeGreaterThan(
      runtime.calls.indexOf('build keiko/a:latest'),
    );
  });

  it('a failed image skips what starts FROM it, lets the others finish, and says which failed', async () => {
    const runtime = new GatedRuntime();
    runtime.registry.add('debian:bookworm');
    const dir = independentImages(['a', 'b'], [['child', 'FROM keiko/a\nRUN true\n']]);
    const events: ImageProgress[] = [];
    const done = prepareImages(runtime, dir, options(events));
    const outcome = done.then(
      () => 'resolved',
      (error: Error) => error.message,
    );
    await runtime.finish('keiko/a:latest', new Error('apt-get install failed'));
    await runtime.finish('keiko/b:latest');
    expect(await outcome).toMatch(
      /2 images failed:\n {2}apt-get install failed\n {2}keiko\/child:latest was not built: keiko\/a:latest, which it starts FROM, failed/,
    );
    expect(runtime.calls).not.toContain('build keiko/child:latest');
    expect(runtime.images.has('keiko/b:latest')).toBe(true);
    expect(events.filter((event) => event.phase === 'failed').map((event) => event.image)).toEqual([
      'keiko/a:latest',
      'keiko/child:latest',
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
