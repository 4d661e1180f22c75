import { PROBE_MEMORY_MIB, type SandboxLimits } from '../limits';
import type { ContainerSpec, VolumeSpec } from '../runtime/runtime';
import { sessionLabels } from './labels';

/** The unprivileged user every lab image has (see labs/images/*). */
export const LEARNER = { name: 'learner', uid: 1000, gid: 1000 } as const;
/** The user of the probe image. */
export const PROBE_USER = '1001:1001';

export interface SessionLayout {
  instance: string;
  sessionId: string;
  labId: string;
  image: string;
  probeImage: string;
  limits: SandboxLimits;
  writablePaths: string[];
  workdir?: string;
  expiresAt: Date;
}

/** Volume names are derived from the session and the path, so a restart can find them again. */
export function volumeName(sessionId: string, path: string): string {
  return `${sessionId}-${path.replace(/^\//, '').replace(/[^a-zA-Z0-9]+/g, '-')}`;
}

/**
 * One tmpfs-backed volume per writable place, each the session's scratch budget in size, its root
 * owned and moded as the image has that folder (e.g. root 1777 for /tmp), so a place whose image
 * content is empty needs no seeding at all; the learner's 0755 where the image has no such folder.
 */
export function volumeSpecs(
  layout: SessionLayout,
  owners: ReadonlyMap<string, { uid: number; gid: number; mode: number } | undefined> = new Map(),
): VolumeSpec[] {
  return layout.writablePaths.map((path) => ({
    name: volumeName(layout.sessionId, path),
    labels: sessionLabels(layout.sessionId, layout.labId, layout.expiresAt, 'scratch', layout.instance),
    sizeMiB: layout.limits.scratchMiB,
    ...(owners.get(path) ?? { uid: LEARNER.uid, gid: LEARNER.gid, mode: 0o755 }),
  }));
}

/**
 * Processes that `docker exec` starts are moved into the container's cgroup after they exist, and
 * cgroup v1 lets a move exceed pids.max (runc#4413). So the platform caps how many execs and
 * terminals a session may have at once, and keeps that many pids free below the lab's limit: the
 * lab's total stays within `limits.pids` however many execs a learner or a grader starts.
 */
export const MAX_CONCURRENT_EXECS = 8;
export const MAX_OPEN_TERMINALS = 8;
export const EXEC_PIDS_HEADROOM = MAX_CONCURRENT_EXECS + MAX_OPEN_TERMINALS;

/**
 * Per-process limits of every sandbox process. `nofile` bounds what one process can hold open.
 * `nproc` counts per user across the whole host (uid 1000 is the learner in every sandbox), so it is
 * a generous second line behind each container's pids cgroup, never the first.
 */
export const SANDBOX_ULIMITS = {
  nofile: { soft: 1024, hard: 4096 },
  nproc: { soft: 16_384, hard: 16_384 },
  core: { soft: 0, hard: 0 },
} as const;
/** Under memory pressure the kernel kills a sandbox's process first, never the platform's. */
export const SANDBOX_OOM_SCORE_ADJ = 1000;

function resourceLimits(limits: SandboxLimits) {
  return {
    memoryBytes: limits.memoryMiB * 1024 * 1024,
    nanoCpus: limits.cpuMillicores * 1_000_000,
    pidsLimit: Math.max(8, limits.pids - EXEC_PIDS_HEADROOM),
  };
}

/**
 * The learner's container. Each line is a defence docs/sandbox.md explains: no capabilities and no way to
 * gain any, the default seccomp profile, a pids limit for fork bombs, memory without swap, a read-only
 * root with small tmpfs places to write, and a network namespace with loopback only (no interface
 * that could reach the host, the internet or another session). Ports below 1024 are bindable through
 * the namespaced sysctl rather than a capability.
 */
export function labContainerSpec(layout: SessionLayout): ContainerSpec {
  return {
    name: `keiko-${layout.sessionId}-lab`,
    image: layout.image,
    cmd: ['sleep', 'infinity'],
    user: `${LEARNER.uid}:${LEARNER.gid}`,
    workdir: layout.workdir,
    env: ['HOME=/home/learner', 'USER=learner', 'LANG=C.UTF-8', 'PYTHONUNBUFFERED=1'],
    labels: sessionLabels(layout.sessionId, layout.labId, layout.expiresAt, 'lab', layout.instance),
    network: { mode: 'none' },
    readOnlyRoot: true,
    volumes: layout.writablePaths.map((path) => ({ name: volumeName(layout.sessionId, path), target: path })),
    tmpfs: {},
    ...resourceLimits(layout.limits),
    sysctls: { 'net.ipv4.ip_unprivileged_port_start': '0' },
    capDrop: ['ALL'],
    securityOpt: ['no-new-privileges'],
    init: true,
    ulimits: SANDBOX_ULIMITS,
    oomScoreAdj: SANDBOX_OOM_SCORE_ADJ,
  };
}

/**
 * The grader's container: the probe image (trusted curl, openssl, node) in the lab's network
 * namespace, so `localhost` is the learner's server, but with its own read-only filesystem, so
 * nothing the learner changes in theirs can change a verdict.
 */
export function probeContainerSpec(layout: SessionLayout, labContainerId: string): ContainerSpec {
  return {
    name: `keiko-${layout.sessionId}-probe`,
    image: layout.probeImage,
    cmd: ['sleep', 'infinity'],
    user: PROBE_USER,
    env: ['HOME=/tmp', 'LANG=C.UTF-8'],
    labels: sessionLabels(layout.sessionId, layout.labId, layout.expiresAt, 'probe', layout.instance),
    network: { mode: 'join', containerId: labContainerId },
    readOnlyRoot: true,
    volumes: [],
    tmpfs: { '/tmp': 'rw,noexec,nosuid,nodev,size=16m,mode=1777' },
    memoryBytes: PROBE_MEMORY_MIB * 1024 * 1024,
    nanoCpus: 1_000_000_000,
    pidsLimit: 64,
    sysctls: {},
    capDrop: ['ALL'],
    securityOpt: ['no-new-privileges'],
    init: true,
    ulimits: SANDBOX_ULIMITS,
    oomScoreAdj: SANDBOX_OOM_SCORE_ADJ,
  };
}

export { resourceLimits };
