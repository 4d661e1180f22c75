import { describe, expect, it } from 'vitest';
import { parseAptSources, sourcesForSuite } from './apt-sources';

const DEB822 = `Types: deb
# a comment
URIs: http://mirror.test/debian
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb
URIs: http://mirror.test/debian-security
Suites: bookworm-security
Components: main contrib

Types: deb-src
URIs: http://mirror.test/debian
Suites: bookworm
Components: main

Enabled: no
Types: deb
URIs: http://disabled.test/debian
Suites: bookworm
Components: main
`;

describe('parseAptSources', () => {
  it('reads deb822 stanzas, skipping deb-src and disabled ones', () => {
    expect(parseAptSources(DEB822, 'deb822')).toEqual([
      { uris: ['http://mirror.test/debian'], suites: ['bookworm', 'bookworm-updates'], components: ['main'] },
      {
        uris: ['http://mirror.test/debian-security'],
        suites: ['bookworm-security'],
        components: ['main', 'contrib'],
      },
    ]);
  });

  it('reads one-line entries with options and comments', () => {
    const list =
      '# comment\ndeb [arch=amd64 signed-by=/k.gpg] http://m.test/debian bookworm main non-free\ndeb-src http://m.test/debian bookworm main\n';
    expect(parseAptSources(list, 'list')).toEqual([
      { uris: ['http://m.test/debian'], suites: ['bookworm'], components: ['main', 'non-free'] },
    ]);
  });
});

describe('sourcesForSuite', () => {
  it('takes the mirror of the suite and lines for its updates and security archives', () => {
    const result = sourcesForSuite(parseAptSources(DEB822, 'deb822'), 'bookworm');
    expect(result?.mirror).toBe('http://mirror.test/debian');
    expect(result?.lines).toEqual([
      'deb http://mirror.test/debian bookworm main',
      'deb http://mirror.test/debian bookworm-updates main',
      'deb http://mirror.test/debian-security bookworm-security main contrib',
    ]);
  });

  it('finds nothing for a suite the host has no mirror for', () => {
    expect(sourcesForSuite(parseAptSources(DEB822, 'deb822'), 'trixie')).toBeUndefined();
  });
});
