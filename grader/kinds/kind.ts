import { z } from 'zod';
import { HintsSchema } from '../failure';
import type { CheckResult } from '../result';
import type { CheckContext } from '../sandbox-port';

/** What every check has besides its kind: a name and how patient the grader is with it. */
export const CheckTimingFields = {
  name: z.string().min(1).optional(),
  /** Try again this many times, for a server that is still starting. */
  retries: z.number().int().min(0).max(30).default(0),
  delayMs: z.number().int().min(0).max(30_000).default(1000),
  timeoutMs: z.number().int().min(100).max(120_000).default(10_000),
  /**
   * What to tell the learner, by how the check failed: `{ refused: "is the server running?", status:
   * "…", other: "…" }` (grader/failure.ts lists the failures). The page shows the one that fits.
   */
  hints: HintsSchema.optional(),
  /**
   * The check changes the lab (hangs up terminals, stops and restarts a server, writes data): it runs
   * when the learner asks, never in the background, so a step that has one is not re-checked live.
   * Unset, the kind decides (`mayChangeLab`): a write request or a script may, a read does not.
   */
  changesLab: z.boolean().optional(),
  /**
   * The check may run at the same time as the step's other checks. Unset, a check that only reads
   * the lab does, and one that may change it or times the server (`runsAlone`) runs by itself, in
   * order. Say `true` for a script whose writes touch nothing the other checks look at (rows with a
   * random key it deletes again), `false` for a read that must see what an earlier check did.
   */
  concurrent: z.boolean().optional(),
};
export type CheckTiming = z.output<z.ZodObject<typeof CheckTimingFields>>;

/**
 * One kind of check, whole: the YAML key that names it, its schema, the line that describes it in
 * lint messages and docs/authoring.md, its default name and its runner. A kind is one module under
 * grader/kinds/ and one line in the registry (grader/kinds/index.ts).
 */
export interface CheckKind<Key extends string = string, Body = unknown> {
  /** The key a lab.yaml check uses: `- http: {...}`. */
  readonly key: Key;
  /** One line: what the kind proves, for lint messages and the authoring guide. */
  readonly summary: string;
  readonly schema: z.ZodType<Body, unknown>;
  /** The name shown for a check that has none. */
  defaultName(body: Body): string;
  run(body: Body, name: string, context: CheckContext): Promise<CheckResult>;
  /** Whether a check of this kind may change the lab when its `changesLab` is unset; no by default. */
  mayChangeLab?(body: Body): boolean;
  /**
   * Whether a check of this kind needs the server to itself: it measures time or concurrency, and
   * another check's requests beside it would change what it measures. No by default.
   */
  runsAlone?(body: Body): boolean;
  /** Scripts in grader/probes/ that this kind runs with the probe's Node, by file name. */
  readonly probeScripts?: readonly string[];
}

/** Names a kind's types once, so its runner and schema cannot drift apart. */
export function defineCheckKind<const Key extends string, Body>(
  kind: CheckKind<Key, Body>,
): CheckKind<Key, Body> {
  return kind;
}

/** A parsed check: the timing fields and exactly one kind key. */
export type CheckOf<Kind> =
  Kind extends CheckKind<infer Key, infer Body> ? CheckTiming & { [K in Key]: Body } : never;
