// Test support: the captured outputs under tests/fixtures/, read as the tools wrote them.
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export type FixtureKind = 'curl' | 'tls' | 'curl-writeout' | 'dig' | 'ws' | 'apachectl';

function folder(kind: FixtureKind): string {
  return fileURLToPath(new URL(`../../tests/fixtures/${kind}/`, import.meta.url));
}

/** A captured output, byte for byte (curl ends its JSON without a newline; the probe with one). */
export function fixture(kind: FixtureKind, name: string): string {
  return readFileSync(`${folder(kind)}${name}.json`, 'utf8');
}

/** The note captured beside a fixture: the command that produced it. */
export function fixtureNote(kind: FixtureKind, name: string): string {
  return readFileSync(`${folder(kind)}${name}.md`, 'utf8');
}

export function fixtureNames(kind: FixtureKind): string[] {
  return readdirSync(folder(kind))
    .filter((file) => file.endsWith('.json'))
    .map((file) => file.slice(0, -'.json'.length))
    .sort();
}

/** A captured output kept under its own file name (write-outs that are not one JSON object). */
export function fixtureFile(kind: FixtureKind, file: string): string {
  return readFileSync(`${folder(kind)}${file}`, 'utf8');
}
