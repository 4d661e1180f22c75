import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { FileNotFoundError } from '../errors';
import type { ContainerRuntime } from '../runtime/runtime';
import { rebaseArchive, type FolderOwner } from './files';
import { LABELS } from './labels';

/**
 * What the image has at one writable place: the folder's owner and mode (which its tmpfs volume is
 * mounted with), and an archive of its content to unpack into the volume, absent when the folder is
 * empty (nothing to unpack: one archive round trip fewer per start).
 */
export interface Seed {
  owner: FolderOwner | undefined;
  archive: Buffer | undefined;
  /** The sub-folders the image has there, relative to the place (`app`). */
  folders: Set<string>;
}

/**
 * The image's content of each writable place, ready for a fresh tmpfs volume. Read once per image
 * (from a container that is created but never started) and kept in memory.
 */
export class SeedCache {
  private readonly seeds = new Map<string, Promise<Map<string, Seed>>>();

  constructor(
    private readonly runtime: ContainerRuntime,
    private readonly instance: string,
  ) {}

  get(image: string, imageId: string, paths: string[]): Promise<Map<string, Seed>> {
    const key = `${imageId} ${paths.join(' ')}`;
    let seed = this.seeds.get(key);
    if (!seed) {
      seed = this.read(image, paths);
      seed.catch(() => this.seeds.delete(key));
      this.seeds.set(key, seed);
    }
    return seed;
  }

  private async read(image: string, paths: string[]): Promise<Map<string, Seed>> {
    const id = await this.runtime.createContainer({
      name: `keiko-seed-${randomBytes(6).toString('hex')}`,
      image,
      cmd: ['true'],
      user: '0:0',
      env: [],
      labels: {
        [LABELS.instance]: this.instance,
        [LABELS.session]: 'seed',
        [LABELS.role]: 'seed',
        [LABELS.lab]: 'seed',
        [LABELS.expiresAt]: new Date().toISOString(),
      },
      network: { mode: 'none' },
      readOnlyRoot: true,
      volumes: [],
      tmpfs: {},
      memoryBytes: 64 * 1024 * 1024,
      nanoCpus: 100_000_000,
      pidsLimit: 16,
      sysctls: {},
      capDrop: ['ALL'],
      securityOpt: ['no-new-privileges'],
      init: false,
    });
    try {
      const seeds = new Map<string, Seed>();
      for (const folder of paths) {
        try {
          const rebased = await rebaseArchive(
            await this.runtime.readArchive(id, folder),
            path.posix.basename(folder),
          );
          seeds.set(folder, {
            owner: rebased.root,
            archive: rebased.contents > 0 || !rebased.root ? rebased.archive : undefined,
            folders: rebased.folders,
          });
        } catch (error) {
          if (!(error instanceof FileNotFoundError)) throw error;
        }
      }
      return seeds;
    } finally {
      await this.runtime.removeContainer(id);
    }
  }
}
