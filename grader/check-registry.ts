import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { BUILTIN_CHECK_KINDS } from './kinds';
import { CheckTimingFields, type CheckKind, type CheckOf } from './kinds/kind';
import type { ProbeScripts } from './sandbox-port';

/** A check of a lab step, parsed: the timing fields and the body of exactly one kind. */
export type Check = CheckOf<(typeof BUILTIN_CHECK_KINDS)[number]>;

const kinds = new Map<string, CheckKind>(BUILTIN_CHECK_KINDS.map((kind) => [kind.key, kind]));
const stepSchemas = new Map<string, z.ZodType>();

/**
 * Adds a kind beside the built-in ones (a test's throwaway kind, a course's own). Labs parsed after
 * this may use it; the returned function takes it away again.
 */
export function registerCheckKind<Key extends string, Body>(kind: CheckKind<Key, Body>): () => void {
  if (kinds.has(kind.key)) throw new Error(`a check kind named "${kind.key}" exists already`);
  if (kind.key in CheckTimingFields) throw new Error(`"${kind.key}" is a field every check has`);
  kinds.set(kind.key, kind);
  return () => {
    kinds.delete(kind.key);
    stepSchemas.delete(kind.key);
  };
}

/** Every kind a lab may use now, built-in ones first. */
export function checkKinds(): CheckKind[] {
  return [...kinds.values()];
}

function schemaFor(kind: CheckKind): z.ZodType {
  let schema = stepSchemas.get(kind.key);
  if (!schema) {
    schema = z.object({ ...CheckTimingFields, [kind.key]: kind.schema }).strict();
    stepSchemas.set(kind.key, schema);
  }
  return schema;
}

function kindKeysOf(value: object): string[] {
  return Object.keys(value).filter((key) => kinds.has(key));
}

/** The kinds by key; docs/authoring.md describes each (a test keeps it in step with `summary`). */
function kindList(): string {
  return `${checkKinds()
    .map((kind) => kind.key)
    .join(', ')} (docs/authoring.md describes each)`;
}

/**
 * A check names its kind by its one key (`- http: {...}`). The kind is chosen by that key first and
 * the check then parsed by that kind's schema alone, so a mistake is reported at the field that is
 * wrong, not as "no kind matched".
 */
export const CheckSchema = z.unknown().transform((value, context): Check => {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    context.addIssue({ code: 'custom', message: `a check is a mapping with one kind: ${kindList()}` });
    return z.NEVER;
  }
  const keys = kindKeysOf(value);
  if (keys.length !== 1) {
    const found = keys.length === 0 ? 'none' : keys.join(' and ');
    const unknown = Object.keys(value).filter((key) => !(key in CheckTimingFields) && !kinds.has(key));
    const guess = unknown.length > 0 ? ` ("${unknown.join('", "')}" is not a kind)` : '';
    context.addIssue({
      code: 'custom',
      message: `a check has exactly one kind, found ${found}${guess}. Kinds: ${kindList()}`,
    });
    return z.NEVER;
  }
  const parsed = schemaFor(kinds.get(keys[0]!)!).safeParse(value);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) context.addIssue({ ...issue, code: 'custom', path: issue.path });
    return z.NEVER;
  }
  // A kind registered at run time parses into the same shape: timing fields and its one key.
  return parsed.data as Check;
});

/** The kind a parsed check belongs to, and its body. */
export function kindOf(check: Check): { kind: CheckKind; body: unknown } {
  const key = kindKeysOf(check)[0];
  const kind = key === undefined ? undefined : kinds.get(key);
  if (!kind || key === undefined) throw new Error(`the check names no known kind`);
  return { kind, body: (check as Record<string, unknown>)[key] };
}

/** The source of every probe script the registered kinds declare, read from `<rootDir>/grader/probes`. */
export function readProbeScripts(rootDir: string): ProbeScripts {
  const files = new Set(checkKinds().flatMap((kind) => kind.probeScripts ?? []));
  return Object.fromEntries(
    [...files].map((file) => [file, fs.readFileSync(path.join(rootDir, 'grader', 'probes', file), 'utf8')]),
  );
}
