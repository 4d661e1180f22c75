import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import { ImageBuildError } from '../../errors';
import type {
  BuildOptions,
  ContainerRuntime,
  EngineInfo,
  ImageInfo,
  ImportOptions,
  RunOnceOptions,
  RunOnceResult,
} from '../runtime';

/**
 * An in-memory engine for pure unit tests of the logic above the runtime. It records every call so a
 * test can assert what work was (not) done; it runs nothing.
 */
export class MemoryRuntime implements ContainerRuntime {
  readonly images = new Map<string, ImageInfo>();
  readonly calls: string[] = [];
  /** Tags that `pullImage` can find, as a reachable registry would. */
  readonly registry = new Set<string>();

  async engineInfo(): Promise<EngineInfo> {
    return { reachable: true, version: 'memory', apiVersion: '0', endpoint: 'memory://' };
  }

  async inspectImage(tag: string): Promise<ImageInfo | undefined> {
    return this.images.get(tag);
  }

  async pullImage(tag: string): Promise<void> {
    this.calls.push(`pull ${tag}`);
    if (!this.registry.has(tag)) throw new ImageBuildError(`registry unreachable for ${tag}`);
    this.store(tag, {});
  }

  async importImage(rootfsTar: Readable, options: ImportOptions): Promise<ImageInfo> {
    this.calls.push(`import ${options.tag}`);
    rootfsTar.resume();
    return this.store(options.tag, {});
  }

  async buildImage(options: BuildOptions, onLine: (line: string) => void): Promise<ImageInfo> {
    this.calls.push(`build ${options.tag}`);
    onLine(`Step 1/1 : building ${options.tag}`);
    return this.store(options.tag, options.labels);
  }

  async removeImage(tag: string): Promise<void> {
    this.calls.push(`remove ${tag}`);
    this.images.delete(tag);
  }

  async runOnce(options: RunOnceOptions): Promise<RunOnceResult> {
    this.calls.push(`run ${options.image} ${options.cmd.join(' ')}`);
    return { exitCode: 0, stdout: '', stderr: '' };
  }

  private store(tag: string, labels: Record<string, string>): ImageInfo {
    const id = `sha256:${createHash('sha256').update(`${tag}${this.calls.length}`).digest('hex')}`;
    const image = { id, tags: [tag], labels, createdAt: new Date().toISOString(), sizeBytes: 0 };
    this.images.set(tag, image);
    return image;
  }
}
