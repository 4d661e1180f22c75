import fs from 'node:fs';
import path from 'node:path';

export interface AptSource {
  uris: string[];
  suites: string[];
  components: string[];
}

/** Parses both apt formats: one-line `deb URI suite components…` and deb822 `.sources` stanzas. */
export function parseAptSources(text: string, format: 'list' | 'deb822'): AptSource[] {
  if (format === 'list') {
    return text
      .split('\n')
      .map((line) => line.replace(/#.*/, '').trim())
      .filter((line) => line.startsWith('deb '))
      .map((line) => {
        const words = line
          .replace(/\[[^\]]*\]/, '')
          .trim()
          .split(/\s+/)
          .slice(1);
        const [uri, suite, ...components] = words;
        return { uris: uri ? [uri] : [], suites: suite ? [suite] : [], components };
      });
  }
  return text
    .split(/\n\s*\n/)
    .map((stanza) => {
      const fields = new Map<string, string>();
      for (const line of stanza.split('\n')) {
        const match = /^([A-Za-z-]+):\s*(.*)$/.exec(line.trim());
        if (match?.[1] && match[2] !== undefined) fields.set(match[1].toLowerCase(), match[2]);
      }
      if (fields.get('enabled') === 'no' || !(fields.get('types') ?? '').split(/\s+/).includes('deb'))
        return undefined;
      const words = (key: string) => (fields.get(key) ?? '').split(/\s+/).filter(Boolean);
      return { uris: words('uris'), suites: words('suites'), components: words('components') };
    })
    .filter((source): source is AptSource => source !== undefined && source.uris.length > 0);
}

/** Every enabled apt source of this machine. */
export function readHostAptSources(root = '/etc/apt'): AptSource[] {
  const sources: AptSource[] = [];
  const listFile = path.join(root, 'sources.list');
  if (fs.existsSync(listFile)) sources.push(...parseAptSources(fs.readFileSync(listFile, 'utf8'), 'list'));
  const dir = path.join(root, 'sources.list.d');
  if (fs.existsSync(dir)) {
    for (const name of fs.readdirSync(dir).sort()) {
      const text = fs.readFileSync(path.join(dir, name), 'utf8');
      if (name.endsWith('.list')) sources.push(...parseAptSources(text, 'list'));
      if (name.endsWith('.sources')) sources.push(...parseAptSources(text, 'deb822'));
    }
  }
  return sources;
}

/**
 * The lines of a `sources.list` for a Debian suite, taken from the host's own mirrors: the suite,
 * its -updates and its -security archive, wherever the host has them.
 */
export function sourcesForSuite(
  hostSources: AptSource[],
  suite: string,
): { mirror: string; lines: string[] } | undefined {
  const wanted = [suite, `${suite}-updates`, `${suite}-security`];
  const lines: string[] = [];
  let mirror: string | undefined;
  for (const source of hostSources) {
    for (const sourceSuite of source.suites) {
      if (!wanted.includes(sourceSuite)) continue;
      const uri = source.uris[0];
      if (!uri) continue;
      if (sourceSuite === suite) mirror ??= uri;
      const components = source.components.length ? source.components : ['main'];
      lines.push(`deb ${uri} ${sourceSuite} ${components.join(' ')}`);
    }
  }
  return mirror ? { mirror, lines: [...new Set(lines)] } : undefined;
}
