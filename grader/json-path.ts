/**
 * A small JSONPath subset for body checks: `$`, `.name`, `["name"]` and `[index]` (negative counts
 * from the end). Enough to point at a field of an API's answer; no filters or wildcards, so a lab's
 * expectation always names exactly one value.
 */
export type JsonPathSegment = string | number;

export class JsonPathSyntaxError extends Error {
  override name = 'JsonPathSyntaxError';
}

export function parseJsonPath(path: string): JsonPathSegment[] {
  if (!path.startsWith('$')) throw new JsonPathSyntaxError(`"${path}" must start with $`);
  const segments: JsonPathSegment[] = [];
  const pattern = /\.([A-Za-z_$][\w$-]*)|\[(-?\d+)\]|\["((?:[^"\\]|\\.)*)"\]/y;
  let at = 1;
  while (at < path.length) {
    pattern.lastIndex = at;
    const match = pattern.exec(path);
    if (!match) throw new JsonPathSyntaxError(`"${path}" cannot be read from "${path.slice(at)}"`);
    if (match[1] !== undefined) segments.push(match[1]);
    else if (match[2] !== undefined) segments.push(Number(match[2]));
    else segments.push(JSON.parse(`"${match[3]}"`) as string);
    at = pattern.lastIndex;
  }
  return segments;
}

export type JsonPathReading = { found: true; value: unknown } | { found: false; missing: string };

/** The value at the path, or which part of the path was missing. */
export function readJsonPath(document: unknown, path: string): JsonPathReading {
  let value = document;
  let walked = '$';
  for (const segment of parseJsonPath(path)) {
    if (typeof segment === 'number') {
      if (!Array.isArray(value)) return { found: false, missing: `${walked} is not an array` };
      const index = segment < 0 ? value.length + segment : segment;
      if (index < 0 || index >= value.length)
        return { found: false, missing: `${walked} has no item ${segment}` };
      value = value[index];
      walked += `[${segment}]`;
    } else {
      if (typeof value !== 'object' || value === null || Array.isArray(value))
        return { found: false, missing: `${walked} is not an object` };
      if (!Object.hasOwn(value, segment)) return { found: false, missing: `${walked} has no "${segment}"` };
      value = (value as Record<string, unknown>)[segment];
      walked += `.${segment}`;
    }
  }
  return { found: true, value };
}

export type JsonType = 'string' | 'number' | 'integer' | 'boolean' | 'object' | 'array' | 'null';

export function jsonTypeOf(value: unknown): Exclude<JsonType, 'integer'> {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value as 'string' | 'number' | 'boolean' | 'object';
}

export function hasJsonType(value: unknown, type: JsonType): boolean {
  return type === 'integer' ? Number.isInteger(value) : jsonTypeOf(value) === type;
}

/** Deep equality of JSON values (object key order does not matter). */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a) && Array.isArray(b))
    return a.length === b.length && a.every((item, index) => jsonEqual(item, b[index]));
  const aKeys = Object.keys(a);
  const bRecord = b as Record<string, unknown>;
  return (
    aKeys.length === Object.keys(b).length &&
    aKeys.every(
      (key) => Object.hasOwn(bRecord, key) && jsonEqual((a as Record<string, unknown>)[key], bRecord[key]),
    )
  );
}
