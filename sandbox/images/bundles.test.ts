import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { MemoryRuntime } from '../runtime/memory/memory-runtime';
import { bundleOutputs, parseBundleSpec, projectRootOf, writeBundles } from './bundles';
import { readImageCatalog } from './catalog';
import { ensureLabImage, imageStatuses } from './lab-images';

/** A project with a two-file TypeScript program and an image folder that bundles it. */
function project(): { root: string; imagesDir: string; contextDir: string } {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'keiko-bundle-'));
  fs.writeFileSync(path.join(root, 'package.json'), '{ "private": true }\n');
  fs.mkdirSync(path.join(root, 'tool'));
  fs.writeFileSync(
    path.join(root, 'tool', 'greeting.ts'),
    'export const greeting = (name: string): string => `hello ${name}`;\n',
  );
  fs.writeFileSync(
    path.join(root, 'tool', 'cli.ts'),
    "import { greeting } from './greeting';\nconsole.log(greeting('keiko'));\n",
  );
  const imagesDir = path.join(root, 'labs', 'images');
  const contextDir = path.join(imagesDir, 'tool');
  fs.mkdirSync(contextDir, { recursive: true });
  fs.writeFileSync(
    path.join(contextDir, 'Dockerfile'),
    'FROM debian:bookworm\nCOPY tool.mjs /usr/local/lib/tool.mjs\n',
  );
  fs.writeFileSync(
    path.join(contextDir, 'bundle.json'),
    '{ "bundles": [{ "entry": "tool/cli.ts", "out": "tool.mjs" }] }\n',
  );
  return { root, imagesDir, contextDir };
}

describe('parseBundleSpec', () => {
  it('reads bundles with node18 as the default target', () => {
    expect(
      parseBundleSpec('{ "bundles": [{ "entry": "proxy/cli.ts", "out": "h2proxy.mjs" }] }', 'b.json'),
    ).toEqual({
      bundles: [{ entry: 'proxy/cli.ts', out: 'h2proxy.mjs', target: 'node18' }],
    });
  });

  it.each([
    ['{', /b\.json is not JSON/],
    ['{ "bundles": [] }', /b\.json bundles: /],
    [
      '{ "bundles": [{ "entry": "../x.ts", "out": "x.mjs" }] }',
      /bundles\.0\.entry: must be a path inside the project/,
    ],
    [
      '{ "bundles": [{ "entry": "/abs/x.ts", "out": "x.mjs" }] }',
      /bundles\.0\.entry: must be a path inside the project/,
    ],
    ['{ "bundles": [{ "entry": "x.py", "out": "x.mjs" }] }', /bundles\.0\.entry: must name a \.ts/],
    [
      '{ "bundles": [{ "entry": "x.ts", "out": "bin/x.mjs" }] }',
      /bundles\.0\.out: must be a plain file name/,
    ],
    [
      '{ "bundles": [{ "entry": "x.ts", "out": "Dockerfile" }] }',
      /bundles\.0\.out: must not replace Dockerfile/,
    ],
    [
      '{ "bundles": [{ "entry": "x.ts", "out": "x.mjs", "target": "es2020" }] }',
      /bundles\.0\.target: must be an esbuild Node target/,
    ],
    ['{ "bundles": [{ "entry": "x.ts", "out": "x.mjs", "minify": true }] }', /b\.json bundles\.0: /],
    [
      '{ "bundles": [{ "entry": "a.ts", "out": "x.mjs" }, { "entry": "b.ts", "out": "x.mjs" }] }',
      /two bundles write the same out file/,
    ],
  ])('rejects %s', (text, message) => {
    expect(() => parseBundleSpec(text, 'b.json')).toThrow(message);
  });
});

describe('bundling', () => {
  it('finds the project root above the image folder', () => {
    const { root, contextDir } = project();
    expect(projectRootOf(contextDir)).toBe(root);
  });

  it('makes one runnable ES module with a shebang from the TypeScript entry', async () => {
    const { contextDir } = project();
    const outputs = await bundleOutputs(contextDir);
    const bytes = outputs.get('tool.mjs');
    expect(bytes?.toString().startsWith('#!/usr/bin/env node\n')).toBe(true);
    const file = path.join(os.tmpdir(), `keiko-bundle-${process.pid}.mjs`);
    fs.writeFileSync(file, bytes!);
    expect(execFileSync(process.execPath, [file], { encoding: 'utf8' })).toBe('hello keiko\n');
    fs.rmSync(file);
  });

  it('rewrites the output only when its bytes change', async () => {
    const { root, contextDir } = project();
    expect(await writeBundles(contextDir)).toEqual(['tool.mjs']);
    expect(await writeBundles(contextDir)).toEqual([]);
    fs.writeFileSync(
      path.join(root, 'tool', 'greeting.ts'),
      'export const greeting = (name: string): string => `hi ${name}`;\n',
    );
    expect(await writeBundles(contextDir)).toEqual(['tool.mjs']);
  });

  it('names the missing entry', async () => {
    const { contextDir } = project();
    fs.writeFileSync(
      path.join(contextDir, 'bundle.json'),
      '{ "bundles": [{ "entry": "tool/gone.ts", "out": "tool.mjs" }] }',
    );
    await expect(bundleOutputs(contextDir)).rejects.toThrow(/the entry tool\/gone\.ts does not exist/);
  });

  it('is nothing for an image folder without bundle.json', async () => {
    const { contextDir } = project();
    fs.rmSync(path.join(contextDir, 'bundle.json'));
    expect((await bundleOutputs(contextDir)).size).toBe(0);
  });
});

describe('lab images with bundles', () => {
  const quiet = { onProgress: () => {} };

  it('bundles before hashing: the build gets the file, and a source change rebuilds the image', async () => {
    const { root, imagesDir, contextDir } = project();
    const runtime = new MemoryRuntime();
    runtime.registry.add('debian:bookworm');
    await runtime.pullImage('debian:bookworm');
    const spec = readImageCatalog(imagesDir).labs[0]!;

    expect((await ensureLabImage(runtime, spec, quiet)).status).toBe('built');
    expect(fs.existsSync(path.join(contextDir, 'tool.mjs'))).toBe(true);
    expect((await ensureLabImage(runtime, spec, quiet)).status).toBe('up-to-date');

    fs.writeFileSync(
      path.join(root, 'tool', 'greeting.ts'),
      'export const greeting = (name: string): string => `hi ${name}`;\n',
    );
    expect(await imageStatuses(runtime, imagesDir)).toContainEqual({
      name: 'keiko/tool:latest',
      built: true,
      current: false,
    });
    expect(fs.readFileSync(path.join(contextDir, 'tool.mjs'), 'utf8')).toContain('hello'); // a status check writes nothing
    expect((await ensureLabImage(runtime, spec, quiet)).status).toBe('built');
    expect(await imageStatuses(runtime, imagesDir)).toContainEqual({
      name: 'keiko/tool:latest',
      built: true,
      current: true,
    });
  });

  it('reports an image current on a fresh checkout, before the bundle exists on disk', async () => {
    const { imagesDir, contextDir } = project();
    const runtime = new MemoryRuntime();
    runtime.registry.add('debian:bookworm');
    await runtime.pullImage('debian:bookworm');
    await ensureLabImage(runtime, readImageCatalog(imagesDir).labs[0]!, quiet);
    fs.rmSync(path.join(contextDir, 'tool.mjs'));
    expect(await imageStatuses(runtime, imagesDir)).toContainEqual({
      name: 'keiko/tool:latest',
      built: true,
      current: true,
    });
  });
});
