import { z } from 'zod';
import { InvalidLimitsError } from './errors';

/**
 * Every limit a lab container runs under, with its unit in its name. The platform's table sets the
 * defaults and the caps; a lab may ask for other values, never beyond the caps.
 */
export const SandboxLimitsSchema = z.object({
  memoryMiB: z
    .number()
    .int()
    .min(32)
    .describe('Memory of each container, swap included; past it the OOM killer ends a process inside'),
  cpuMillicores: z.number().int().min(100).describe('CPU time of each container, 1000 = one core'),
  pids: z
    .number()
    .int()
    .min(32)
    .describe('Processes and threads in the lab, execs and terminals included (the fork-bomb limit)'),
  scratchMiB: z
    .number()
    .int()
    .min(1)
    .describe('Size of each writable tmpfs place (home, /tmp, …); the disk budget'),
  maxLifetimeMs: z.number().int().min(10_000).describe('A session is removed this long after it started'),
  idleTimeoutMs: z
    .number()
    .int()
    .min(5_000)
    .describe('A session with no terminal input and no check for this long is removed'),
  execTimeoutMs: z.number().int().min(100).describe('Default wall-clock limit of one exec'),
  execOutputMaxBytes: z
    .number()
    .int()
    .min(1024)
    .describe('Output kept from one exec, per stream; the rest is cut'),
  fileMaxBytes: z.number().int().min(1024).describe('Largest file the files API reads or writes'),
});
export type SandboxLimits = z.infer<typeof SandboxLimitsSchema>;

export const DEFAULT_LIMITS: SandboxLimits = {
  memoryMiB: 512,
  cpuMillicores: 1000, // one of the machine's cores at most
  pids: 256,
  scratchMiB: 64,
  maxLifetimeMs: 2 * 60 * 60_000, // 2 h
  idleTimeoutMs: 30 * 60_000, // 30 min
  execTimeoutMs: 30_000, // 30 s
  execOutputMaxBytes: 1024 * 1024, // 1 MiB
  fileMaxBytes: 1024 * 1024, // 1 MiB
};

export const LIMIT_CAPS: SandboxLimits = {
  memoryMiB: 2048,
  cpuMillicores: 2000,
  pids: 1024,
  scratchMiB: 512,
  maxLifetimeMs: 8 * 60 * 60_000, // 8 h
  idleTimeoutMs: 2 * 60 * 60_000, // 2 h
  execTimeoutMs: 10 * 60_000, // 10 min
  execOutputMaxBytes: 16 * 1024 * 1024, // 16 MiB
  fileMaxBytes: 1024 * 1024, // 1 MiB: the API's contract
};

export const LimitOverridesSchema = SandboxLimitsSchema.partial().strict();
export type LimitOverrides = z.infer<typeof LimitOverridesSchema>;

/** The limits a lab runs under: its overrides on the defaults, each checked against the cap. */
export function resolveLimits(
  overrides: LimitOverrides = {},
  defaults: SandboxLimits = DEFAULT_LIMITS,
  caps: SandboxLimits = LIMIT_CAPS,
): SandboxLimits {
  const checked = LimitOverridesSchema.parse(overrides);
  const limits = SandboxLimitsSchema.parse({ ...defaults, ...checked });
  const over = (Object.keys(limits) as (keyof SandboxLimits)[]).filter((key) => limits[key] > caps[key]);
  if (over.length) {
    throw new InvalidLimitsError(
      over.map((key) => `${key} ${limits[key]} is above the platform's cap of ${caps[key]}`).join('; '),
    );
  }
  return limits;
}

/**
 * The platform's own limits, on everyone together rather than one sandbox: how many sessions may
 * live and start, and how often a client may start one or a session be graded. Over a limit, a
 * request gets HTTP 429 with the limit's name and when to retry.
 */
export const PlatformLimitsSchema = z.object({
  liveSessions: z
    .number()
    .int()
    .min(1)
    .describe('Live sessions in all (default: what the host memory holds at every session’s memory limit)'),
  concurrentStarts: z.number().int().min(1).describe('Sandboxes being created at once; more wait their turn'),
  queuedStarts: z.number().int().min(0).describe('Starts that may wait for a turn; one more gets 429'),
  startsPerAddressPerMinute: z
    .number()
    .int()
    .min(1)
    .describe('New sessions one client address may start per minute'),
  checksPerSessionPerMinute: z.number().int().min(1).describe('Gradings one session may ask for per minute'),
  evidenceMaxBytes: z
    .number()
    .int()
    .min(256)
    .describe('Evidence and message kept per check in a stored attempt'),
  previewConnectionsPerSession: z
    .number()
    .int()
    .min(1)
    .describe(
      'Connections relayed into one sandbox at once (browser previews, WebSockets, TLS); each is a process in its probe',
    ),
  previewBytesPerSecond: z
    .number()
    .int()
    .min(1024)
    .describe('Bytes per second one session’s relayed connections may carry, both ways together'),
  previewLinkTtlMs: z.number().int().min(1000).describe('How long a signed preview link may be opened'),
  previewIdleMs: z
    .number()
    .int()
    .min(1000)
    .describe('A relayed connection, or a TLS listener, with no traffic for this long is closed'),
});
export type PlatformLimits = z.infer<typeof PlatformLimitsSchema>;

/** Memory the platform keeps for itself, the engine and the host before it counts sessions. */
const HOST_RESERVE_BYTES = 2 * 1024 * 1024 * 1024;
/** The probe container's memory limit (sandbox/session/hardening.ts), counted with each session. */
export const PROBE_MEMORY_MIB = 256;

export function defaultPlatformLimits(
  hostMemoryBytes: number,
  limits: SandboxLimits = DEFAULT_LIMITS,
): PlatformLimits {
  const perSession = (limits.memoryMiB + PROBE_MEMORY_MIB) * 1024 * 1024;
  return {
    liveSessions: Math.max(1, Math.floor((hostMemoryBytes - HOST_RESERVE_BYTES) / perSession)),
    concurrentStarts: 4,
    queuedStarts: 32,
    startsPerAddressPerMinute: 10,
    checksPerSessionPerMinute: 60,
    evidenceMaxBytes: 8 * 1024,
    // Each relayed connection is one Node process in the probe (about 40 MB of its 256 MiB).
    previewConnectionsPerSession: 4,
    previewBytesPerSecond: 4 * 1024 * 1024,
    previewLinkTtlMs: 60_000,
    previewIdleMs: 10 * 60_000,
  };
}
