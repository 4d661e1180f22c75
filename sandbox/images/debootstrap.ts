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

/**
 * What Docker's own Debian images carry for builds (debuerreotype's "slimify" files), written into
 * every bootstrapped base so each `RUN apt-get install` in a lab image inherits it:
 * - dpkg without fsync(): an image layer is written once and thrown away if the build fails, so
 *   crash-safety buys nothing, and on overlayfs dpkg's fsync()s per file dominate a build;
 * - apt keeps no downloaded .deb files and no binary package cache in the image;
 * - apt fetches no translations of package descriptions.
 * Paths are relative to the root filesystem.
 */
export const CONTAINER_PACKAGE_CONFIG: Readonly<Record<string, string>> = {
  'etc/dpkg/dpkg.cfg.d/docker-apt-speedup': 'force-unsafe-io\n',
  'etc/apt/apt.conf.d/docker-clean': [
    'DPkg::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };',
    'APT::Update::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };',
    'Dir::Cache::pkgcache ""; Dir::Cache::srcpkgcache "";',
    '',
  ].join('\n'),
  'etc/apt/apt.conf.d/docker-no-languages': 'Acquire::Languages "none";\n',
};

/** Writes CONTAINER_PACKAGE_CONFIG into a root filesystem (its folders exist once debootstrap unpacked). */
export function writeContainerPackageConfig(rootfs: string): void {
  for (const [file, text] of Object.entries(CONTAINER_PACKAGE_CONFIG)) {
    fs.mkdirSync(path.dirname(path.join(rootfs, file)), { recursive: true });
    fs.writeFileSync(path.join(rootfs, file), text);
  }
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
    // Two stages, so the dpkg configuration above is already in force when the second stage
    // installs and configures every package of the base system with the target's own dpkg.
    await runLogged(
      'debootstrap',
      ['--foreign', '--variant=minbase', '--include=ca-certificates', options.suite, rootfs, sources.mirror],
      options.onLine,
    );
    writeContainerPackageConfig(rootfs);
    await runLogged('chroot', [rootfs, '/debootstrap/debootstrap', '--second-stage'], options.onLine);
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
