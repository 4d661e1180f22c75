import { describe, expect, it } from 'vitest';
import { hasJsonType, jsonEqual, JsonPathSyntaxError, readJsonPath } from './json-path';

// The body Bottle's JSON plugin produced for a dict (json.dumps spacing).
const body = JSON.parse(
  '{"visits": 1, "items": [1, 2], "ok": true, "user": {"name": "ada", "first-seen": null}}',
);

describe('readJsonPath', () => {
  it('reads fields, array items from either end and quoted names', () => {
    expect(readJsonPath(body, '$.user.name')).toEqual({ found: true, value: 'ada' });
    expect(readJsonPath(body, '$.items[0]')).toEqual({ found: true, value: 1 });
    expect(readJsonPath(body, '$.items[-1]')).toEqual({ found: true, value: 2 });
    expect(readJsonPath(body, '$.user["first-seen"]')).toEqual({ found: true, value: null });
    expect(readJsonPath(body, '$')).toEqual({ found: true, value: body });
  });

  it('says which part of the path is missing', () => {
    expect(readJsonPath(body, '$.user.email')).toEqual({ found: false, missing: '$.user has no "email"' });
    expect(readJsonPath(body, '$.items[5]')).toEqual({ found: false, missing: '$.items has no item 5' });
    expect(readJsonPath(body, '$.ok.x')).toEqual({ found: false, missing: '$.ok is not an object' });
    expect(readJsonPath([], '$.a')).toEqual({ found: false, missing: '$ is not an object' });
  });

  it('refuses paths it cannot read instead of guessing', () => {
    expect(() => readJsonPath(body, 'user.name')).toThrow(JsonPathSyntaxError);
    expect(() => readJsonPath(body, '$.items[*]')).toThrow(/cannot be read from "\[\*\]"/);
  });
});

describe('JSON types and equality', () => {
  it('tells integers, numbers, arrays and null apart', () => {
    expect(hasJsonType(1, 'integer')).toBe(true);
    expect(hasJsonType(1.5, 'integer')).toBe(false);
    expect(hasJsonType(1.5, 'number')).toBe(true);
    expect(hasJsonType([], 'object')).toBe(false);
    expect(hasJsonType([], 'array')).toBe(true);
    expect(hasJsonType(null, 'object')).toBe(false);
  });

  it('compares objects whatever their key order', () => {
    expect(jsonEqual({ a: 1, b: [1, { c: 2 }] }, { b: [1, { c: 2 }], a: 1 })).toBe(true);
    expect(jsonEqual({ a: 1 }, { a: 1, b: undefined })).toBe(false);
    expect(jsonEqual([1, 2], [2, 1])).toBe(false);
  });
});
