import type { Duplex, Readable } from 'node:stream';

/**
 * What the sandbox library needs from a container engine. Only `runtime/docker/` implements it
 * against a real engine, so no engine type leaks into the rest of Keiko.
 */
export interface ContainerRuntime extends ContainerOperations {
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

/**
 * The container operations sessions need. Kept in the same interface so one object is the engine;
 * split out here only to read more easily.
 */
export interface ContainerOperations {
  createVolume(spec: VolumeSpec): Promise<void>;
  removeVolume(name: string): Promise<void>;
  createContainer(spec: ContainerSpec): Promise<string>;
  startContainer(id: string): Promise<void>;
  /** Removes the container, running or not; a container that is already gone is not an error. */
  removeContainer(id: string): Promise<void>;
  inspectContainer(id: string): Promise<ContainerState | undefined>;
  updateLimits(
    id: string,
    limits: { memoryBytes: number; nanoCpus: number; pidsLimit: number },
  ): Promise<void>;
  exec(id: string, options: ExecOptions): Promise<ExecResult>;
  openPty(id: string, options: PtyOptions): Promise<PtyHandle>;
  /**
   * A command whose stdin and stdout are one byte stream, exactly as written (no terminal, no line
   * discipline): what relays a browser's connection into a sandbox (docs/preview.md).
   */
  openStream(id: string, options: StreamOptions): Promise<ExecStream>;
  /**
   * A tar stream of a path inside the container, read by the engine in the container's own root; a
   * FileNotFoundError when nothing is at the path.
   */
  readArchive(id: string, path: string): Promise<Readable>;
  /** Unpacks a tar archive into a folder of the container, in the container's own root. */
  writeArchive(id: string, folder: string, tar: Buffer): Promise<void>;
  listProcesses(id: string): Promise<ProcessInfo[]>;
  /** What the container's cgroups count now. */
  usage(id: string): Promise<{ memoryBytes: number; pids: number }>;
  /** Every container and volume that carries the label key. */
  listLabelled(labelKey: string): Promise<LabelledObjects>;
}

export interface VolumeSpec {
  name: string;
  labels: Record<string, string>;
  /** A tmpfs-backed volume of this size: its pages count against the memory of whoever writes them. */
  sizeMiB: number;
  uid: number;
  gid: number;
  /** The volume root's permission bits, sticky bit included (0o1777 for a /tmp). */
  mode: number;
}

export interface ContainerSpec {
  name: string;
  image: string;
  cmd: string[];
  /** `uid:gid` the main process and default execs run as. */
  user: string;
  workdir?: string;
  env: string[];
  labels: Record<string, string>;
  /** `none`: a network namespace with loopback only. `join`: share another container's namespace. */
  network: { mode: 'none' } | { mode: 'join'; containerId: string };
  readOnlyRoot: boolean;
  volumes: { name: string; target: string }[];
  /** Path to tmpfs mount options, e.g. `{ '/tmp': 'size=16m,mode=1777' }`. */
  tmpfs: Record<string, string>;
  memoryBytes: number;
  nanoCpus: number;
  pidsLimit: number;
  sysctls: Record<string, string>;
  capDrop: string[];
  securityOpt: string[];
  init: boolean;
  /** Per-process rlimits, e.g. `{ nofile: { soft: 1024, hard: 4096 } }`. */
  ulimits?: Record<string, { soft: number; hard: number }>;
  /** The kernel's OOM badness adjustment: 1000 makes this container the first victim. */
  oomScoreAdj?: number;
}

export interface ContainerState {
  id: string;
  running: boolean;
  oomKilled: boolean;
  exitCode: number | null;
  labels: Record<string, string>;
  startedAt: string;
}

export interface ExecOptions {
  argv: string[];
  /** Defaults to the container's user. */
  user?: string;
  env?: string[];
  workdir?: string;
  stdin?: string | Buffer;
  timeoutMs: number;
  /** Per stream; what is past it is dropped and `truncated` is set. */
  outputMaxBytes: number;
}

/** A finished command. A failing command is a result, not an exception. */
export interface ExecResult {
  /** null when the command was killed for running past its time. */
  exitCode: number | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
  truncated: boolean;
  durationMs: number;
}

export interface PtyOptions {
  argv: string[];
  user?: string;
  env?: string[];
  workdir?: string;
  cols: number;
  rows: number;
}

export interface StreamOptions {
  argv: string[];
  user?: string;
  env?: string[];
}

/** A running command: `io` writes its stdin and reads its stdout; stderr arrives apart. */
export interface ExecStream {
  io: Duplex;
  onStderr(listener: (chunk: Buffer) => void): void;
}

export interface PtyHandle {
  /** False when the stream is full: write more once `onDrain` fires (as Node's `write`). */
  write(data: string | Buffer): boolean;
  onDrain(listener: () => void): void;
  resize(cols: number, rows: number): Promise<void>;
  onData(listener: (chunk: Buffer) => void): void;
  onExit(listener: (exitCode: number | null) => void): void;
  /** Stops reading output until `resume`: the engine's stream, and so the shell, wait. */
  pause(): void;
  resume(): void;
  /** Closes the connection; the shell gets a hangup. */
  close(): void;
}

export interface ProcessInfo {
  pid: number;
  ppid: number;
  /** The user id inside the container (names differ between the container and the host). */
  uid: number;
  tty: string;
  command: string;
  /** Whole seconds since the process started (ps's etimes): "just started" tells a server still starting. */
  startedSecondsAgo: number;
}

export interface LabelledObjects {
  /** `createdAt` as the engine reports it: the reaper spares objects younger than its grace period. */
  containers: { id: string; labels: Record<string, string>; running: boolean; createdAt: Date }[];
  volumes: { name: string; labels: Record<string, string>; createdAt: Date }[];
}
