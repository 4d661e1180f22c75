import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CONTAINER_PACKAGE_CONFIG, writeContainerPackageConfig } from './debootstrap';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

describe('writeContainerPackageConfig', () => {
  it('turns off dpkg fsync, the apt cache and translations in a root filesystem, as Docker Debian images do', () => {
    const rootfs = fs.mkdtempSync(path.join(os.tmpdir(), 'keiko-rootfs-'));
    dirs.push(rootfs);
    writeContainerPackageConfig(rootfs);
    const read = (file: string) => fs.readFileSync(path.join(rootfs, file), 'utf8');

    expect(read('etc/dpkg/dpkg.cfg.d/docker-apt-speedup')).toBe('force-unsafe-io\n');
    expect(read('etc/apt/apt.conf.d/docker-no-languages')).toBe('Acquire::Languages "none";\n');
    const clean = read('etc/apt/apt.conf.d/docker-clean');
    expect(clean).toContain('Dir::Cache::pkgcache ""; Dir::Cache::srcpkgcache "";');
    expect(clean).toMatch(/^DPkg::Post-Invoke \{ "rm -f \/var\/cache\/apt\/archives\/\*\.deb/m);
    expect(Object.keys(CONTAINER_PACKAGE_CONFIG).sort()).toEqual(
      fs
        .readdirSync(rootfs, { recursive: true, withFileTypes: true })
        .filter((entry) => entry.isFile())
        .map((entry) => path.relative(rootfs, path.join(entry.parentPath, entry.name)))
        .sort(),
    );
  });
});
