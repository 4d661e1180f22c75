import path from 'node:path';
import { z } from 'zod';

/**
 * Every environment variable Keiko reads, parsed once. Nothing else reads `process.env`
 * (lint enforces it), so this table is the whole configuration surface.
 */
export const EnvSchema = z.object({
  KEIKO_DATA_DIR: z
    .string()
    .min(1)
    .default('./data')
    .describe('Where the SQLite store, the server secret and daemon logs live'),
  KEIKO_LABS_DIR: z
    .string()
    .min(1)
    .default('./labs')
    .describe('The lab definitions (labs/<id>/lab.yaml); the e2e tests point it at a fixture course'),
  KEIKO_CONTENT_DIR: z
    .string()
    .min(1)
    .default('./content')
    .describe(
      'The courses (content/<course>/course.yaml and its lessons); the e2e tests use a fixture course',
    ),
  KEIKO_HOST: z
    .string()
    .min(1)
    .default('127.0.0.1')
    .describe('Address the web server binds; 0.0.0.0 exposes it beyond this machine'),
  KEIKO_PORT: z.coerce
    .number({ error: 'expected a port from 1 to 65535' })
    .int('expected a whole number')
    .min(1, 'expected a port from 1 to 65535')
    .max(65_535, 'expected a port from 1 to 65535')
    .default(3000)
    .describe('Port of the web server and the terminal WebSocket'),
  KEIKO_PUBLIC_URL: z
    .url({ protocol: /^https?$/, message: 'expected an http(s) URL such as http://localhost:3000' })
    .optional()
    .describe(
      'The origin browsers use; defaults to http://localhost:KEIKO_PORT. Requests naming another host ' +
        '(and, while bound to loopback, other than localhost, 127.0.0.1, [::1] on its port) are refused, ' +
        'and so are terminals and state changes from another Origin',
    ),
  KEIKO_PREVIEW_URL: z
    .url({ protocol: /^https?$/, message: 'expected an http(s) URL such as http://*.localhost:3000' })
    .refine((url) => new URL(url.replace('*.', 'x.')).hostname.startsWith('x.') && url.includes('://*.'), {
      message: 'expected a wildcard host, e.g. https://*.preview.keiko.example',
    })
    .optional()
    .describe(
      'Where learners open their own servers (docs/preview.md): one origin per session and port under this ' +
        'wildcard; defaults to http://*.localhost:KEIKO_PORT, which browsers resolve to loopback',
    ),
  DOCKER_HOST: z
    .string()
    .regex(/^(unix|tcp|http|https|npipe):\/\//, 'expected unix:///path or tcp://host:port')
    .optional()
    .describe('The Docker engine to use; defaults to unix:///var/run/docker.sock'),
  KEIKO_INSTANCE: z
    .string()
    .regex(/^[a-z0-9][a-z0-9-]{0,40}$/, 'expected lowercase letters, digits and dashes')
    .optional()
    .describe(
      'Labels every sandbox this installation makes; its reaper removes only its own. Defaults to an id made once per data directory',
    ),
  KEIKO_ORPHAN_GRACE_MS: z.coerce
    .number({ error: 'expected milliseconds' })
    .int()
    .min(1000, 'at least 1000 ms')
    .default(120_000)
    .describe(
      'How long a sandbox whose process is gone (or that no record knows) is left alone before it is reaped',
    ),
  KEIKO_POOL_SIZE: z.coerce
    .number({ error: 'expected a whole number of spare sandboxes' })
    .int('expected a whole number of spare sandboxes')
    .min(0)
    .max(20, 'at most 20 spares per lab image')
    .default(1)
    .describe('Spare, started sandboxes kept ready per lab image, so a start skips container creation'),
  KEIKO_MAX_SESSIONS: z.coerce
    .number({ error: 'expected a whole number of sessions' })
    .int('expected a whole number of sessions')
    .min(1, 'at least 1 session')
    .optional()
    .describe('Live lab sessions in all; by default what the host memory holds at each session’s limits'),
  KEIKO_SWEEP_INTERVAL_MS: z.coerce
    .number({ error: 'expected milliseconds' })
    .int()
    .min(1000, 'at least 1000 ms')
    .default(30_000)
    .describe('How often expired and idle sessions are ended and leftovers reaped'),
  NODE_ENV: z.enum(['development', 'production', 'test']).default('production'),
});

export type Env = z.infer<typeof EnvSchema> & {
  dataDir: string;
  labsDir: string;
  contentDir: string;
  publicUrl: string;
  /** The preview origins' template, `scheme://*.domain[:port]`. */
  previewUrl: string;
};

/** Thrown when an environment variable has a value Keiko cannot use; the message names it. */
export class EnvError extends Error {
  override name = 'EnvError';
}

export function parseEnv(source: Record<string, string | undefined>, cwd = process.cwd()): Env {
  const relevant = Object.fromEntries(
    Object.keys(EnvSchema.shape).map((key) => [key, source[key] === '' ? undefined : source[key]]),
  );
  const parsed = EnvSchema.safeParse(relevant);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => {
      const key = String(issue.path[0] ?? '?');
      return `${key}=${JSON.stringify(source[key] ?? '')}: ${issue.message}`;
    });
    throw new EnvError(`invalid environment:\n  ${lines.join('\n  ')}`);
  }
  const env = parsed.data;
  return {
    ...env,
    dataDir: path.resolve(cwd, env.KEIKO_DATA_DIR),
    labsDir: path.resolve(cwd, env.KEIKO_LABS_DIR),
    contentDir: path.resolve(cwd, env.KEIKO_CONTENT_DIR),
    publicUrl: (env.KEIKO_PUBLIC_URL ?? `http://localhost:${env.KEIKO_PORT}`).replace(/\/$/, ''),
    previewUrl: (env.KEIKO_PREVIEW_URL ?? `http://*.localhost:${env.KEIKO_PORT}`).replace(/\/$/, ''),
  };
}
