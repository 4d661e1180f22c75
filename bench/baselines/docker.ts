// The raw baselines Keiko's wrappers are compared against. Benchmarks are the one place outside
// sandbox/runtime/docker/ that talks to dockerode directly: that is what a baseline is.
import { Duplex, PassThrough, type Readable } from 'node:stream';
import Docker from 'dockerode';

export function bareDocker(): Docker {
  const host = process.env.DOCKER_HOST;
  if (!host || host.startsWith('unix://'))
    return new Docker({ socketPath: host ? host.slice(7) : '/var/run/docker.sock' });
  const url = new URL(host);
  return new Docker({ host: url.hostname, port: Number(url.port || 2375) });
}

/** `docker build` of a folder with nothing in front of it, to the end of its output. */
export async function bareBuild(
  docker: Docker,
  contextDir: string,
  files: string[],
  tag: string,
  nocache: boolean,
) {
  const stream = (await docker.buildImage(
    { context: contextDir, src: files },
    { t: tag, nocache, rm: true },
  )) as Readable;
  await new Promise<void>((resolve, reject) => {
    docker.modem.followProgress(
      stream,
      (error: Error | null, events: { error?: string }[]) => {
        const failed = events.find((event) => event.error);
        if (error || failed) reject(error ?? new Error(failed?.error));
        else resolve();
      },
      () => {},
    );
  });
}

/** A bare container of the image (no hardening, no volumes, no probe), started, and one exec answered. */
export async function bareStartAndExec(docker: Docker, image: string): Promise<Docker.Container> {
  const container = await docker.createContainer({
    Image: image,
    Cmd: ['sleep', 'infinity'],
    Labels: { 'keiko.bench': 'bare' },
  });
  await container.start();
  const exec = await container.exec({ Cmd: ['echo', 'ready'], AttachStdout: true, AttachStderr: true });
  const stream = await exec.start({});
  await new Promise<void>((resolve, reject) => {
    stream.on('end', resolve);
    stream.on('error', reject);
    stream.resume();
  });
  return container;
}

export async function bareMemoryBytes(container: Docker.Container): Promise<number> {
  const stats = (await container.stats({ stream: false })) as { memory_stats?: { usage?: number } };
  return stats.memory_stats?.usage ?? 0;
}

/** An interactive exec with a TTY in a container, bare: the stream Keiko's terminal wraps. */
export async function bareTtyExec(container: Docker.Container, cmd: string[]) {
  const exec = await container.exec({
    Cmd: cmd,
    AttachStdin: true,
    AttachStdout: true,
    AttachStderr: true,
    Tty: true,
  });
  return exec.start({ hijack: true, stdin: true, Tty: true });
}

/** `docker exec` of a command in a container, bare, to the end of its output. */
export async function bareExec(container: Docker.Container, cmd: string[]): Promise<void> {
  const exec = await container.exec({ Cmd: cmd, AttachStdout: true, AttachStderr: true });
  const stream = await exec.start({});
  await new Promise<void>((resolve, reject) => {
    stream.on('end', resolve);
    stream.on('error', reject);
    stream.resume();
  });
}

/**
 * The running container of a Keiko session with the given role, found by its labels. A session is
 * handed out before its probe runs (docs/sandbox.md), so this waits for it, as the grader does.
 */
export async function sessionContainer(
  docker: Docker,
  sessionId: string,
  role: string,
  waitMs = 30_000,
): Promise<Docker.Container> {
  const until = performance.now() + waitMs;
  for (;;) {
    const [found] = await docker.listContainers({
      filters: { label: [`keiko.session=${sessionId}`, `keiko.role=${role}`] },
    });
    if (found) return docker.getContainer(found.Id);
    if (performance.now() > until) throw new Error(`no running ${role} container for ${sessionId}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * An exec without a TTY whose stdin and stdout are a byte stream, bare: the stream the preview relay
 * wraps (stdout demultiplexed by dockerode's own demuxStream, stderr dropped).
 */
export async function bareStreamExec(container: Docker.Container, cmd: string[]): Promise<Duplex> {
  const exec = await container.exec({
    Cmd: cmd,
    AttachStdin: true,
    AttachStdout: true,
    AttachStderr: true,
    Tty: false,
  });
  const raw = (await exec.start({ hijack: true, stdin: true })) as Duplex;
  const stdout = new PassThrough();
  container.modem.demuxStream(raw, stdout, new PassThrough().resume());
  raw.on('end', () => stdout.end());
  return Duplex.from({ readable: stdout, writable: raw });
}
