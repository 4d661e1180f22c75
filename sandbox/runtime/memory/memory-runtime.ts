import { createHash, randomUUID } from 'node:crypto';
import { PassThrough, Readable } from 'node:stream';
import { FileNotFoundError, ImageBuildError } from '../../errors';
import type {
  BuildOptions,
  ContainerRuntime,
  ContainerSpec,
  ContainerState,
  EngineInfo,
  ExecOptions,
  ExecResult,
  ImageInfo,
  ImportOptions,
  LabelledObjects,
  ProcessInfo,
  PtyHandle,
  PtyOptions,
  RunOnceOptions,
  RunOnceResult,
  StreamOptions,
  ExecStream,
  VolumeSpec,
} from '../runtime';

interface MemoryContainer {
  spec: ContainerSpec;
  running: boolean;
  archives: Map<string, Buffer>;
  createdAt: Date;
}

/**
 * An in-memory engine for pure unit tests of the logic above the runtime. It records every call so a
 * test can assert what work was (not) done; it runs nothing.
 */
export class MemoryRuntime implements ContainerRuntime {
  readonly images = new Map<string, ImageInfo>();
  readonly calls: string[] = [];
  /** Tags that `pullImage` can find, as a reachable registry would. */
  readonly registry = new Set<string>();
  private readonly volumeCreatedAt = new Map<string, Date>();

  /** `now` dates what it creates, so tests can age objects past the reaper's grace period. */
  constructor(private readonly now: () => Date = () => new Date()) {}

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
    this.calls.push(`build ${options.tag}${options.noCache ? ' (no cache)' : ''}`);
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

  readonly containers = new Map<string, MemoryContainer>();
  readonly volumes = new Map<string, VolumeSpec>();
  /** Answers execs; by default every command succeeds with no output. */
  execHandler: (id: string, options: ExecOptions) => Partial<ExecResult> = () => ({});

  async createVolume(spec: VolumeSpec): Promise<void> {
    this.calls.push(`create volume ${spec.name}`);
    this.volumes.set(spec.name, spec);
    this.volumeCreatedAt.set(spec.name, this.now());
  }

  async removeVolume(name: string): Promise<void> {
    this.calls.push(`remove volume ${name}`);
    this.volumes.delete(name);
  }

  async createContainer(spec: ContainerSpec): Promise<string> {
    if (!this.images.has(spec.image)) throw new Error(`No such image: ${spec.image}`);
    const id = randomUUID().replaceAll('-', '');
    this.calls.push(`create container ${spec.name}`);
    this.containers.set(id, { spec, running: false, archives: new Map(), createdAt: this.now() });
    return id;
  }

  async startContainer(id: string): Promise<void> {
    this.require(id).running = true;
  }

  async removeContainer(id: string): Promise<void> {
    this.calls.push(`remove container ${this.containers.get(id)?.spec.name ?? id}`);
    this.containers.delete(id);
  }

  async inspectContainer(id: string): Promise<ContainerState | undefined> {
    const container = this.containers.get(id);
    if (!container) return undefined;
    return {
      id,
      running: container.running,
      oomKilled: false,
      exitCode: container.running ? null : 0,
      labels: container.spec.labels,
      startedAt: '',
    };
  }

  async updateLimits(
    id: string,
    limits: { memoryBytes: number; nanoCpus: number; pidsLimit: number },
  ): Promise<void> {
    const container = this.require(id);
    container.spec = { ...container.spec, ...limits };
  }

  async exec(id: string, options: ExecOptions): Promise<ExecResult> {
    this.require(id);
    this.calls.push(`exec ${options.argv.join(' ')}`);
    return {
      exitCode: 0,
      stdout: '',
      stderr: '',
      timedOut: false,
      truncated: false,
      durationMs: 0,
      ...this.execHandler(id, options),
    };
  }

  async openPty(id: string, _options: PtyOptions): Promise<PtyHandle> {
    this.require(id);
    const stream = new PassThrough();
    const exits: ((code: number | null) => void)[] = [];
    return {
      write: (data) => stream.write(data),
      onDrain: (listener) => stream.on('drain', listener),
      resize: async () => {},
      onData: (listener) => stream.on('data', listener),
      onExit: (listener) => exits.push(listener),
      pause: () => stream.pause(),
      resume: () => stream.resume(),
      close: () => {
        stream.end();
        for (const listener of exits) listener(null);
      },
    };
  }

  /** What `openStream` answers; by default an echo, as a server that repeats what it hears. */
  streamHandler: (id: string, options: StreamOptions) => ExecStream = () => ({
    io: new PassThrough(),
    onStderr: () => {},
  });

  async openStream(id: string, options: StreamOptions): Promise<ExecStream> {
    this.require(id);
    this.calls.push(`stream ${id} ${options.argv.join(' ')}`);
    return this.streamHandler(id, options);
  }

  async readArchive(id: string, path: string): Promise<Readable> {
    const tar = this.require(id).archives.get(path);
    if (!tar) throw new FileNotFoundError(`${path} does not exist in container ${id}`);
    return Readable.from([tar]);
  }

  /** Stores the tar under `folder/<first entry name>`, which is what readArchive of that path returns in a test. */
  async writeArchive(id: string, folder: string, tar: Buffer): Promise<void> {
    const name = tar.subarray(0, 100).toString('utf8').replace(/\0.*$/s, '');
    this.require(id).archives.set(`${folder.replace(/\/$/, '')}/${name}`, tar);
  }

  async listProcesses(id: string): Promise<ProcessInfo[]> {
    this.require(id);
    const container = this.require(id);
    return [
      { pid: 1, ppid: 0, uid: 1000, tty: '?', command: container.spec.cmd.join(' '), startedSecondsAgo: 60 },
    ];
  }

  async usage(): Promise<{ memoryBytes: number; pids: number }> {
    return { memoryBytes: 0, pids: 1 };
  }

  async listLabelled(labelKey: string): Promise<LabelledObjects> {
    return {
      containers: [...this.containers.entries()]
        .filter(([, c]) => labelKey in c.spec.labels)
        .map(([id, c]) => ({ id, labels: c.spec.labels, running: c.running, createdAt: c.createdAt })),
      volumes: [...this.volumes.values()]
        .filter((v) => labelKey in v.labels)
        .map((v) => ({ name: v.name, labels: v.labels, createdAt: this.volumeCreatedAt.get(v.name)! })),
    };
  }

  private require(id: string): MemoryContainer {
    const container = this.containers.get(id);
    if (!container) throw new Error(`No such container: ${id}`);
    return container;
  }

  private store(tag: string, labels: Record<string, string>): ImageInfo {
    const id = `sha256:${createHash('sha256').update(`${tag}${this.calls.length}`).digest('hex')}`;
    const image = { id, tags: [tag], labels, createdAt: new Date().toISOString(), sizeBytes: 0 };
    this.images.set(tag, image);
    return image;
  }
}
