import type { Readable } from 'node:stream';
import Docker from 'dockerode';
import { EngineUnavailableError, FileNotFoundError, ImageBuildError, describeError } from '../../errors';
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
  StreamOptions,
  ExecStream,
  RunOnceOptions,
  RunOnceResult,
  VolumeSpec,
} from '../runtime';
import { demuxDockerFrames } from './demux';
import { runExec } from './exec';
import { openDockerPty } from './pty';
import { openDockerStream } from './stream';

const DEFAULT_SOCKET = '/var/run/docker.sock';

interface ProgressEvent {
  stream?: string;
  status?: string;
  error?: string;
  errorDetail?: { message?: string };
}

/** The Docker engine, reached through dockerode. The only module that imports dockerode. */
export class DockerRuntime implements ContainerRuntime {
  private readonly docker: Docker;
  readonly endpoint: string;

  constructor(options: { dockerHost?: string } = {}) {
    this.endpoint = options.dockerHost ?? `unix://${DEFAULT_SOCKET}`;
    this.docker = new Docker(connectionOptions(this.endpoint));
  }

  async engineInfo(): Promise<EngineInfo> {
    try {
      const version = await this.docker.version();
      return {
        reachable: true,
        version: version.Version,
        apiVersion: version.ApiVersion,
        endpoint: this.endpoint,
      };
    } catch (error) {
      return { reachable: false, error: describeError(error), endpoint: this.endpoint };
    }
  }

  async inspectImage(tag: string): Promise<ImageInfo | undefined> {
    try {
      const info = await this.docker.getImage(tag).inspect();
      return {
        id: info.Id,
        tags: info.RepoTags ?? [],
        labels: info.Config?.Labels ?? {},
        createdAt: info.Created,
        sizeBytes: info.Size,
      };
    } catch (error) {
      if (statusCode(error) === 404) return undefined;
      throw this.wrap(error);
    }
  }

  async pullImage(tag: string, options: { timeoutMs: number }): Promise<void> {
    const signal = AbortSignal.timeout(options.timeoutMs);
    const stream = (await this.docker.pull(tag, { abortSignal: signal })) as Readable;
    await this.follow(stream, () => {});
  }

  async importImage(rootfsTar: Readable, options: ImportOptions): Promise<ImageInfo> {
    const [repo, tag] = splitTag(options.tag);
    const stream = (await this.docker.importImage(rootfsTar, {
      repo,
      tag,
      changes: options.changes,
    })) as Readable;
    await this.follow(stream, () => {});
    return this.requireImage(options.tag);
  }

  async buildImage(options: BuildOptions, onLine: (line: string) => void): Promise<ImageInfo> {
    let stream: Readable;
    try {
      stream = (await this.docker.buildImage(
        { context: options.contextDir, src: options.files },
        {
          t: options.tag,
          labels: options.labels,
          nocache: options.noCache ?? false,
          rm: true,
          forcerm: true,
        },
      )) as Readable;
    } catch (error) {
      throw this.wrap(error);
    }
    await this.follow(stream, onLine);
    return this.requireImage(options.tag);
  }

  async removeImage(tag: string): Promise<void> {
    try {
      await this.docker.getImage(tag).remove({ force: true });
    } catch (error) {
      if (statusCode(error) !== 404) throw this.wrap(error);
    }
  }

  async runOnce(options: RunOnceOptions): Promise<RunOnceResult> {
    const container = await this.docker.createContainer({
      Image: options.image,
      Cmd: options.cmd,
      Labels: { 'keiko.run-once': 'true' },
      NetworkDisabled: true,
      HostConfig: {
        NetworkMode: 'none',
        CapDrop: ['ALL'],
        SecurityOpt: ['no-new-privileges'],
        PidsLimit: 64,
      },
    });
    try {
      await container.start();
      const timeout = AbortSignal.timeout(options.timeoutMs);
      const result = (await container.wait({ abortSignal: timeout })) as { StatusCode: number };
      const logs = (await container.logs({ stdout: true, stderr: true, follow: false })) as Buffer;
      const { stdout, stderr } = demuxDockerFrames(logs);
      return {
        exitCode: result.StatusCode,
        stdout: stdout.toString('utf8'),
        stderr: stderr.toString('utf8'),
      };
    } finally {
      await container.remove({ force: true }).catch(() => {});
    }
  }

  async createVolume(spec: VolumeSpec): Promise<void> {
    await this.docker.createVolume({
      Name: spec.name,
      Driver: 'local',
      DriverOpts: {
        type: 'tmpfs',
        device: 'tmpfs',
        // nosuid,nodev: a set-uid binary or a device node written there gains nothing.
        o: `size=${spec.sizeMiB}m,uid=${spec.uid},gid=${spec.gid},mode=${(spec.mode & 0o7777).toString(8).padStart(4, '0')},nosuid,nodev`,
      },
      Labels: spec.labels,
    });
  }

  async removeVolume(name: string): Promise<void> {
    try {
      await this.docker.getVolume(name).remove({ force: true });
    } catch (error) {
      if (statusCode(error) !== 404) throw this.wrap(error);
    }
  }

  async createContainer(spec: ContainerSpec): Promise<string> {
    const container = await this.docker.createContainer({
      name: spec.name,
      Image: spec.image,
      Cmd: spec.cmd,
      User: spec.user,
      WorkingDir: spec.workdir,
      Env: spec.env,
      Labels: spec.labels,
      NetworkDisabled: spec.network.mode === 'none' ? false : undefined,
      HostConfig: {
        NetworkMode: spec.network.mode === 'none' ? 'none' : `container:${spec.network.containerId}`,
        ReadonlyRootfs: spec.readOnlyRoot,
        Mounts: spec.volumes.map((volume) => ({
          Type: 'volume' as const,
          Source: volume.name,
          Target: volume.target,
        })),
        Tmpfs: spec.tmpfs,
        Memory: spec.memoryBytes,
        MemorySwap: spec.memoryBytes, // no swap: the memory limit is the whole budget
        NanoCpus: spec.nanoCpus,
        PidsLimit: spec.pidsLimit,
        Sysctls: spec.sysctls,
        CapDrop: spec.capDrop,
        SecurityOpt: spec.securityOpt,
        Init: spec.init,
        Ulimits: Object.entries(spec.ulimits ?? {}).map(([Name, { soft, hard }]) => ({
          Name,
          Soft: soft,
          Hard: hard,
        })),
        ...(spec.oomScoreAdj === undefined ? {} : { OomScoreAdj: spec.oomScoreAdj }),
        Privileged: false,
        OomKillDisable: false,
        IpcMode: 'private',
        LogConfig: { Type: 'none', Config: {} },
      },
    });
    return container.id;
  }

  async startContainer(id: string): Promise<void> {
    await this.docker.getContainer(id).start();
  }

  async removeContainer(id: string): Promise<void> {
    try {
      await this.docker.getContainer(id).remove({ force: true, v: true });
    } catch (error) {
      const code = statusCode(error);
      if (code !== 404 && code !== 409) throw this.wrap(error);
    }
  }

  async inspectContainer(id: string): Promise<ContainerState | undefined> {
    try {
      const info = await this.docker.getContainer(id).inspect();
      return {
        id: info.Id,
        running: info.State.Running,
        oomKilled: info.State.OOMKilled,
        exitCode: info.State.Running ? null : info.State.ExitCode,
        labels: info.Config.Labels ?? {},
        startedAt: info.State.StartedAt,
      };
    } catch (error) {
      if (statusCode(error) === 404) return undefined;
      throw this.wrap(error);
    }
  }

  async updateLimits(
    id: string,
    limits: { memoryBytes: number; nanoCpus: number; pidsLimit: number },
  ): Promise<void> {
    await this.docker.getContainer(id).update({
      Memory: limits.memoryBytes,
      MemorySwap: limits.memoryBytes,
      NanoCpus: limits.nanoCpus,
      PidsLimit: limits.pidsLimit,
    });
  }

  exec(id: string, options: ExecOptions): Promise<ExecResult> {
    return runExec(this.docker.getContainer(id), options);
  }

  openPty(id: string, options: PtyOptions): Promise<PtyHandle> {
    return openDockerPty(this.docker.getContainer(id), options);
  }

  openStream(id: string, options: StreamOptions): Promise<ExecStream> {
    return openDockerStream(this.docker.getContainer(id), options);
  }

  async readArchive(id: string, path: string): Promise<Readable> {
    try {
      return (await this.docker.getContainer(id).getArchive({ path })) as Readable;
    } catch (error) {
      // The engine answers 404 for a missing path and for a missing container alike; only the first
      // is "not there" for the caller, and no status code travels above this class.
      const { statusCode } = error as { statusCode?: number };
      if (statusCode === 404 && !/no such container/i.test(describeError(error)))
        throw new FileNotFoundError(`${path} does not exist in container ${id}`);
      throw error;
    }
  }

  async writeArchive(id: string, folder: string, tar: Buffer): Promise<void> {
    await this.docker.getContainer(id).putArchive(tar, { path: folder, noOverwriteDirNonDir: true });
  }

  async listProcesses(id: string): Promise<ProcessInfo[]> {
    // `ps` runs on the host, where the sandbox's own /dev/pts has no names, so its tty column says
    // `?` for everyone; tpgid (the terminal's foreground group) is -1 only without a terminal.
    const top = (await this.docker.getContainer(id).top({
      ps_args: '-eo pid,ppid,uid,tpgid,etimes,tty,args',
    })) as {
      Titles: string[];
      Processes: string[][];
    };
    return top.Processes.map((row) => {
      const name = row[5] ?? '?';
      return {
        pid: Number(row[0]),
        ppid: Number(row[1]),
        uid: Number(row[2]),
        tty: Number(row[3]) === -1 ? '?' : name === '?' ? 'tty' : name,
        startedSecondsAgo: Number(row[4]),
        command: row.slice(6).join(' '),
      };
    });
  }

  async usage(id: string): Promise<{ memoryBytes: number; pids: number }> {
    const stats = (await this.docker.getContainer(id).stats({ stream: false })) as {
      memory_stats?: { usage?: number };
      pids_stats?: { current?: number };
    };
    return { memoryBytes: stats.memory_stats?.usage ?? 0, pids: stats.pids_stats?.current ?? 0 };
  }

  async listLabelled(labelKey: string): Promise<LabelledObjects> {
    const filters = { label: [labelKey] };
    const [containers, volumes] = await Promise.all([
      this.docker.listContainers({ all: true, filters }),
      this.docker.listVolumes({ filters }),
    ]);
    return {
      containers: containers.map((c) => ({
        id: c.Id,
        labels: c.Labels ?? {},
        running: c.State === 'running',
        createdAt: new Date(c.Created * 1000),
      })),
      volumes: (volumes.Volumes ?? []).map((v) => ({
        name: v.Name,
        labels: v.Labels ?? {},
        // Engines before API 1.42 may omit it: such a volume counts as old enough to reap.
        createdAt: new Date((v as { CreatedAt?: string }).CreatedAt ?? 0),
      })),
    };
  }

  private async requireImage(tag: string): Promise<ImageInfo> {
    const image = await this.inspectImage(tag);
    if (!image) throw new ImageBuildError(`the engine reported success but has no image ${tag}`);
    return image;
  }

  /** Reads a progress stream to its end, passing each line on; an error event rejects. */
  private follow(stream: Readable, onLine: (line: string) => void): Promise<void> {
    return new Promise((resolve, reject) => {
      let failure: string | undefined;
      this.docker.modem.followProgress(
        stream,
        (error: Error | null) => {
          if (error) reject(this.wrap(error));
          else if (failure) reject(new ImageBuildError(failure));
          else resolve();
        },
        (event: ProgressEvent) => {
          if (event.error) failure = event.errorDetail?.message ?? event.error;
          const text = event.stream ?? event.status;
          if (text) for (const line of text.split('\n')) if (line.trim()) onLine(line.trimEnd());
        },
      );
    });
  }

  private wrap(error: unknown): Error {
    const code = (error as { code?: string }).code;
    if (code === 'ENOENT' || code === 'ECONNREFUSED' || code === 'EACCES') {
      return new EngineUnavailableError(
        `the Docker engine at ${this.endpoint} is not reachable (${code}). ` +
          'Start it (npm run up starts one on Debian), or set DOCKER_HOST to a running engine.',
      );
    }
    return error instanceof Error ? error : new Error(String(error));
  }
}

function connectionOptions(endpoint: string): Docker.DockerOptions {
  const url = new URL(endpoint);
  if (url.protocol === 'unix:') return { socketPath: url.pathname };
  const protocol = url.protocol === 'https:' ? 'https' : 'http';
  return { host: url.hostname, port: Number(url.port || 2375), protocol };
}

function splitTag(reference: string): [string, string] {
  const slash = reference.lastIndexOf('/');
  const colon = reference.lastIndexOf(':');
  return colon > slash ? [reference.slice(0, colon), reference.slice(colon + 1)] : [reference, 'latest'];
}

function statusCode(error: unknown): number | undefined {
  return (error as { statusCode?: number }).statusCode;
}
