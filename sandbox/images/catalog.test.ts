import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseFromImages, readImageCatalog } from './catalog';

function imagesDir(dockerfiles: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'keiko-catalog-'));
  for (const [name, content] of Object.entries(dockerfiles)) {
    fs.mkdirSync(path.join(dir, name));
    fs.writeFileSync(path.join(dir, name, 'Dockerfile'), content);
  }
  return dir;
}

describe('parseFromImages', () => {
  it('reads the image of each FROM line, with or without --platform', () => {
    expect(
      parseFromImages('FROM debian:bookworm\nRUN true\nfrom --platform=linux/amd64 keiko/bottle'),
    ).toEqual(['debian:bookworm', 'keiko/bottle']);
  });

  it('skips references to earlier build stages and scratch', () => {
    const dockerfile = 'FROM debian:bookworm AS build\nRUN make\nFROM build\nFROM scratch\n';
    expect(parseFromImages(dockerfile)).toEqual(['debian:bookworm']);
  });
});

describe('readImageCatalog', () => {
  it('orders lab images after the lab images they start FROM', () => {
    const dir = imagesDir({
      apache: 'FROM keiko/bottle:latest\n',
      bottle: 'FROM debian:bookworm\n',
      probe: 'FROM debian:bookworm\n',
    });
    const catalog = readImageCatalog(dir);
    expect(catalog.bases).toEqual(['debian:bookworm']);
    expect(catalog.labs.map((spec) => spec.name)).toEqual(['bottle', 'apache', 'probe']);
    expect(catalog.labs[0]?.tag).toBe('keiko/bottle:latest');
  });

  it('reports a cycle of lab images by name', () => {
    const dir = imagesDir({ a: 'FROM keiko/b\n', b: 'FROM keiko/a\n' });
    expect(() => readImageCatalog(dir)).toThrow(/cycle: a -> b -> a/);
  });

  it('treats a missing images folder as no images', () => {
    expect(readImageCatalog('/nonexistent/keiko/images')).toEqual({ bases: [], labs: [] });
  });
});
