import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { ImageBuildError } from '../errors';
import { readHostAptSources, sourcesForSuite } from './apt-sources';

export interface BootstrapOptions {
  suite: string;
  /** An empty folder to build the root filesystem in; it is removed by `dispose`. */
  workDir: string;
  onLine: (line: string) => void;
}

export interface BootstrappedRootfs {
  /** A tar stream of the root filesystem, for `docker import`. */
  tar(): Readable;
  dispose(): void;
}

/**
 * Builds a minimal Debian root filesystem with debootstrap from the host's own apt mirror, so a base
 * image can be made where no container registry is reachable.
 */
export async function debootstrapRootfs(options: BootstrapOptions): Promise<BootstrappedRootfs> {
  const sources = sourcesForSuite(readHostAptSources(), options.suite);
  if (!sources) {
    throw new ImageBuildError(
      `no apt source for Debian "${options.suite}" is configured on this machine (/etc/apt/sources.list*), ` +
        'so the base image cannot be bootstrapped. Add one, or make the base image reachable in a registry.',
    );
  }
  if (process.getuid?.() !== 0) {
    throw new ImageBuildError(
      'bootstrapping the base image with debootstrap needs root; run the command as root.',
    );
  }
  const rootfs = path.join(options.workDir, 'rootfs');
  fs.rmSync(options.workDir, { recursive: true, force: true });
  fs.mkdirSync(options.workDir, { recursive: true });
  const dispose = () => fs.rmSync(options.workDir, { recursive: true, force: true });
  try {
    await runLogged(
      'debootstrap',
      ['--variant=minbase', '--include=ca-certificates', options.suite, rootfs, sources.mirror],
      options.onLine,
    );
    fs.writeFileSync(path.join(rootfs, 'etc/apt/sources.list'), `${sources.lines.join('\n')}\n`);
    // The image should not carry the package lists and caches of the bootstrap itself.
    for (const dir of ['var/lib/apt/lists', 'var/cache/apt/archives']) {
      for (const entry of fs.readdirSync(path.join(rootfs, dir))) {
        if (entry !== 'partial' && entry !== 'lock')
          fs.rmSync(path.join(rootfs, dir, entry), { recursive: true, force: true });
      }
    }
  } catch (error) {
    dispose();
    throw error;
  }
  return {
    tar: () => {
      const child = spawn('tar', ['--numeric-owner', '--xattrs', '-C', rootfs, '-c', '.'], {
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      return child.stdout;
    },
    dispose,
  };
}

function runLogged(command: string, args: string[], onLine: (line: string) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const tail: string[] = [];
    const forward = (chunk: Buffer) => {
      for (const line of chunk.toString('utf8').split('\n')) {
        if (!line.trim()) continue;
        onLine(line);
        tail.push(line);
        if (tail.length > 20) tail.shift();
      }
    };
    child.stdout.on('data', forward);
    child.stderr.on('data', forward);
    child.on('error', (error: NodeJS.ErrnoException) => {
      reject(
        new ImageBuildError(
          error.code === 'ENOENT'
            ? `${command} is not installed; install it (apt-get install ${command}) and run again.`
            : `${command} could not start: ${error.message}`,
        ),
      );
    });
    child.on('close', (code) => {
      if (code === 0) resolve();
      else reject(new ImageBuildError(`${command} failed with exit code ${code}:\n${tail.join('\n')}`));
    });
  });
}
