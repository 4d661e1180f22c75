import type { Readable } from 'node:stream';
import Docker from 'dockerode';
import { EngineUnavailableError, ImageBuildError, describeError } from '../../errors';
import type {
  BuildOptions,
  ContainerRuntime,
  EngineInfo,
  ImageInfo,
  ImportOptions,
  RunOnceOptions,
  RunOnceResult,
} from '../runtime';
import { demuxDockerFrames } from './demux';

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
