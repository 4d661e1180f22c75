import type { Duplex } from 'node:stream';
import type Docker from 'dockerode';
import type { PtyHandle, PtyOptions } from '../runtime';

/** An interactive exec with a terminal: one stream of bytes each way, resizable. */
export async function openDockerPty(container: Docker.Container, options: PtyOptions): Promise<PtyHandle> {
  const exec = await container.exec({
    Cmd: options.argv,
    User: options.user,
    Env: ['TERM=xterm-256color', ...(options.env ?? [])],
    WorkingDir: options.workdir,
    AttachStdin: true,
    AttachStdout: true,
    AttachStderr: true,
    Tty: true,
    ConsoleSize: [options.rows, options.cols],
  });
  const stream = (await exec.start({ hijack: true, stdin: true, Tty: true })) as Duplex;
  const exitListeners: ((code: number | null) => void)[] = [];
  let exited = false;
  const finish = async () => {
    if (exited) return;
    exited = true;
    const code = await exec.inspect().then(
      (info) => info.ExitCode ?? null,
      () => null,
    );
    for (const listener of exitListeners) listener(code);
  };
  stream.on('end', () => void finish());
  stream.on('close', () => void finish());
  stream.on('error', () => void finish());
  await exec.resize({ h: options.rows, w: options.cols }).catch(() => {});
  return {
    write: (data) => (exited ? true : stream.write(data)),
    onDrain: (listener) => stream.on('drain', listener),
    resize: async (cols, rows) => {
      if (!exited) await exec.resize({ h: rows, w: cols });
    },
    onData: (listener) => stream.on('data', listener),
    onExit: (listener) => exitListeners.push(listener),
    pause: () => stream.pause(),
    resume: () => stream.resume(),
    close: () => stream.destroy(),
  };
}
