import type { Readable } from 'node:stream';

/**
 * What the sandbox library needs from a container engine. Only `runtime/docker/` implements it
 * against a real engine, so no engine type leaks into the rest of Keiko.
 */
export interface ContainerRuntime {
  engineInfo(): Promise<EngineInfo>;
  /** The image with this tag, or undefined when the engine has none. */
  inspectImage(tag: string): Promise<ImageInfo | undefined>;
  pullImage(tag: string, options: { timeoutMs: number }): Promise<void>;
  /** Creates an image from a tar stream of a root filesystem (`docker import`). */
  importImage(rootfsTar: Readable, options: ImportOptions): Promise<ImageInfo>;
  buildImage(options: BuildOptions, onLine: (line: string) => void): Promise<ImageInfo>;
  removeImage(tag: string): Promise<void>;
  /** Runs a command in a throwaway, network-less container of the image and returns its output. */
  runOnce(options: RunOnceOptions): Promise<RunOnceResult>;
}

export type EngineInfo =
  | { reachable: true; version: string; apiVersion: string; endpoint: string }
  | { reachable: false; error: string; endpoint: string };

export interface ImageInfo {
  id: string;
  tags: string[];
  labels: Record<string, string>;
  createdAt: string;
  sizeBytes: number;
}

export interface ImportOptions {
  tag: string;
  /** Dockerfile instructions applied on import, e.g. `CMD ["bash"]` or `LABEL a=b`. */
  changes: string[];
}

export interface BuildOptions {
  tag: string;
  contextDir: string;
  /** Paths relative to contextDir that make up the build context. */
  files: string[];
  labels: Record<string, string>;
  noCache?: boolean;
}

export interface RunOnceOptions {
  image: string;
  cmd: string[];
  timeoutMs: number;
}

export interface RunOnceResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}
