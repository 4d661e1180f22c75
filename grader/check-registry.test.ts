import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { checkKinds, CheckSchema, kindOf, registerCheckKind } from './check-registry';
import { defineCheckKind } from './kinds/kind';

const echoKind = defineCheckKind({
  key: 'echo-test',
  summary: 'passes when told to',
  schema: z.object({ pass: z.boolean() }).strict(),
  defaultName: () => 'echo',
  run: async (body, name) => ({ name, passed: body.pass, message: '', command: '', evidence: '' }),
});

describe('the check kind registry', () => {
  it('parses a check by its one kind key, with the timing defaults', () => {
    const check = CheckSchema.parse({ port: { port: 8080 } });
    expect(check).toEqual({
      port: { port: 8080 },
      retries: 0,
      delayMs: 1000,
      timeoutMs: 10_000,
    });
    expect(kindOf(check).kind.key).toBe('port');
  });

  it('refuses a check with two kinds, naming both', () => {
    const result = CheckSchema.safeParse({ port: { port: 1 }, file: { path: '/a' } });
    expect(result.error?.issues[0]?.message).toMatch(
      /exactly one kind, found file and port|found port and file/,
    );
  });

  it('adds a kind at run time and takes it away again', () => {
    expect(CheckSchema.safeParse({ 'echo-test': { pass: true } }).success).toBe(false);
    const unregister = registerCheckKind(echoKind);
    expect(CheckSchema.parse({ 'echo-test': { pass: true } })).toMatchObject({ 'echo-test': { pass: true } });
    expect(() => registerCheckKind(echoKind)).toThrow(/exists already/);
    unregister();
    expect(checkKinds().map((kind) => kind.key)).not.toContain('echo-test');
  });

  it('refuses a kind named like a field every check has', () => {
    expect(() => registerCheckKind({ ...echoKind, key: 'retries' })).toThrow(/field every check has/);
  });

  it('docs/authoring.md describes every built-in kind with its summary', () => {
    const guide = fs.readFileSync(new URL('../docs/authoring.md', import.meta.url), 'utf8');
    const rows = new Map(
      guide
        .split('\n')
        .map((line) => /^\|\s*`([^`]+)`\s*\|\s*(.*?)\s*\|$/.exec(line))
        .filter((match) => match !== null)
        .map((match) => [match[1], match[2]]),
    );
    for (const kind of checkKinds()) expect(rows.get(kind.key), kind.key).toBe(kind.summary);
  });
});
