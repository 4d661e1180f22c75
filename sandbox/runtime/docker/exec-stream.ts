import type { Duplex } from 'node:stream';
import type Docker from 'dockerode';
import type { ExecStream, ExecStreamOptions } from '../runtime';

/**
 * A long-lived command with stdin, stdout and stderr attached and kept apart (no terminal): for a
 * process that answers requests on its stdin for as long as it lives, such as the grader's agent.
 */
export async function openDockerExecStream(
  container: Docker.Container,
  options: ExecStreamOptions,
): Promise<ExecStream> {
  const exec = await container.exec({
    Cmd: options.argv,
    User: options.user,
    Env: options.env,
    AttachStdin: true,
    AttachStdout: true,
    AttachStderr: true,
    Tty: false,
  });
  const stream = (await exec.start({ hijack: true, stdin: true })) as Duplex;
  const stdoutListeners: ((chunk: Buffer) => void)[] = [];
  const stderrListeners: ((chunk: Buffer) => void)[] = [];
  const exitListeners: ((code: number | null) => void)[] = [];
  container.modem.demuxStream(
    stream,
    { write: (chunk: Buffer) => stdoutListeners.forEach((listener) => listener(chunk)) },
    { write: (chunk: Buffer) => stderrListeners.forEach((listener) => listener(chunk)) },
  );
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
  return {
    write: (data) => {
      if (!exited) stream.write(data);
    },
    onStdout: (listener) => stdoutListeners.push(listener),
    onStderr: (listener) => stderrListeners.push(listener),
    onExit: (listener) => {
      if (exited) listener(null);
      else exitListeners.push(listener);
    },
    close: () => stream.destroy(),
  };
}
