// Lint keeps the architecture honest: each folder may import only what docs/architecture.md allows, and
// every rule says why when it fires.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import { importX } from 'eslint-plugin-import-x';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';

const LIBRARIES = ['sandbox', 'grader', 'store', 'course', 'platform', 'proxy'];
// The shared contract (zod only) is not in LIBRARIES: every layer may import it, browser code included.
const CONTRACT = ['@/contract/*'];
const lib = (name) => [`@/${name}`, `@/${name}/*`];
const web = ['next', 'next/*', 'react', 'react/*', 'react-dom', 'react-dom/*'];

/** A no-restricted-imports rule whose groups each carry the reason; a RegExp group is matched as one. */
const restrict = (...groups) => [
  'error',
  {
    patterns: groups.map(([group, message]) =>
      group instanceof RegExp ? { regex: group.source, message } : { group, message },
    ),
  },
];

export default tseslint.config(
  { ignores: ['node_modules/', '.next/', 'data/', 'next-env.d.ts', 'bench/results/', 'tests/fixtures/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    plugins: { 'import-x': importX },
    settings: { 'import-x/resolver-next': [createTypeScriptImportResolver({ project: './tsconfig.json' })] },
    rules: {
      'import-x/no-cycle': ['error', { maxDepth: 10 }],
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      'no-restricted-imports': restrict([
        ['dockerode'],
        'dockerode is imported by sandbox/runtime/docker/ only: use the ContainerRuntime interface from @/sandbox.',
      ]),
    },
  },
  {
    // The runtime wraps dockerode; benchmark baselines measure dockerode bare, which is their point.
    files: ['sandbox/runtime/docker/**', 'bench/baselines/**'],
    rules: { 'no-restricted-imports': 'off' },
  },
  {
    files: ['sandbox/**'],
    ignores: ['sandbox/runtime/docker/**'],
    rules: {
      'no-restricted-imports': restrict(
        [
          ['dockerode'],
          'dockerode is imported by sandbox/runtime/docker/ only; go through ContainerRuntime.',
        ],
        [
          [
            ...web,
            '@/app/*',
            ...LIBRARIES.filter((l) => l !== 'sandbox').flatMap(lib),
            '@/cli/*',
            'better-sqlite3',
          ],
          'sandbox/ is a Docker library: it may import node:*, zod and its own files, nothing of the web app or the store.',
        ],
      ),
    },
  },
  {
    files: ['store/**'],
    rules: {
      'no-restricted-imports': restrict([
        [
          ...web,
          'dockerode',
          '@/app/*',
          ...LIBRARIES.filter((l) => l !== 'store').flatMap(lib),
          '@/contract',
          ...CONTRACT,
          '@/cli/*',
        ],
        'store/ is the SQLite store: it may import better-sqlite3, node:* and zod only.',
      ]),
    },
  },
  {
    files: ['grader/**', 'course/**', 'proxy/**', 'platform/**'],
    rules: {
      'no-restricted-imports': restrict(
        [
          ['dockerode'],
          'dockerode is imported by sandbox/runtime/docker/ only; go through ContainerRuntime.',
        ],
        [[...web, '@/app/*', '@/cli/*'], 'libraries never import the web app, React, Next.js or the CLI.'],
        [
          ['@/sandbox/*', '@/store/*', '@/course/*', '@/grader/*', ...CONTRACT],
          'import a library through its index (e.g. @/sandbox), never its internals.',
        ],
      ),
    },
  },
  {
    // docs/architecture.md: the grader runs checks in a sandbox; it knows the sandbox's interface and
    // nothing of courses, the store or the wiring.
    files: ['grader/**'],
    rules: {
      'no-restricted-imports': restrict(
        [['dockerode', 'better-sqlite3'], 'the grader reaches containers through @/sandbox only.'],
        [[...web, '@/app/*', '@/cli/*'], 'libraries never import the web app, React, Next.js or the CLI.'],
        [
          ['@/sandbox/*', ...['course', 'store', 'platform', 'proxy'].flatMap(lib)],
          'grader/ may import @/sandbox (its index) only: a check kind owns its schema, so nothing of course/ is needed.',
        ],
      ),
    },
  },
  {
    // The course loader parses lab.yaml with the check schema the grader's kinds make; it never runs one.
    files: ['course/**'],
    rules: {
      'no-restricted-imports': restrict(
        [['dockerode', 'better-sqlite3'], 'course/ reads files; it never talks to Docker or SQLite.'],
        [[...web, '@/app/*', '@/cli/*'], 'libraries never import the web app, React, Next.js or the CLI.'],
        [
          ['sandbox', 'store', 'platform', 'proxy'].flatMap(lib),
          'course/ reads content: of the libraries it may import only @/grader/schema.',
        ],
        [
          /^@\/grader(?!\/schema$)/,
          "course/ may import the grader's schema entry @/grader/schema, never its runners' API.",
        ],
      ),
    },
  },
  {
    // h2proxy is bundled into a lab image on its own: it can depend on nothing of Keiko.
    files: ['proxy/**'],
    rules: {
      'no-restricted-imports': restrict(
        [['dockerode', 'better-sqlite3'], 'proxy/ is a standalone program.'],
        [[...web, '@/app/*', '@/cli/*'], 'libraries never import the web app, React, Next.js or the CLI.'],
        [
          [...LIBRARIES.filter((l) => l !== 'proxy').flatMap(lib), '@/contract', ...CONTRACT],
          'proxy/ imports node:* only: it is bundled alone into the h2proxy image.',
        ],
      ),
    },
  },
  {
    // What the server and the browser say to each other: zod only, so the browser can import it.
    files: ['contract/**'],
    ignores: ['contract/**/*.test.ts'],
    rules: {
      'no-restricted-imports': restrict([
        [...web, 'dockerode', 'better-sqlite3', 'node:*', '@/app/*', '@/cli/*', ...LIBRARIES.flatMap(lib)],
        'contract/ is zod schemas only: the browser imports it, so nothing of Node or the libraries.',
      ]),
    },
  },
  {
    files: ['app/**'],
    ignores: ['app/_lib/**'],
    rules: {
      'no-restricted-imports': restrict(
        [
          ['dockerode', 'better-sqlite3'],
          'app/ never talks to Docker or SQLite: call a function in app/_lib/*.server.ts.',
        ],
        [
          LIBRARIES.flatMap(lib),
          'app/ reaches the libraries only through app/_lib/*.server.ts, which keeps app/ thin.',
        ],
      ),
    },
  },
  {
    files: ['app/_components/**'],
    rules: {
      'no-restricted-imports': restrict([
        [
          '**/*.server',
          '**/*.server.ts',
          'server-only',
          '@/platform',
          '@/sandbox',
          '@/store',
          'dockerode',
          'better-sqlite3',
        ],
        'app/_components/ holds client components: they reach the server through the HTTP API, never a server module.',
      ]),
    },
  },
  {
    files: ['app/_lib/**'],
    rules: {
      'no-restricted-imports': restrict(
        [
          ['dockerode', 'better-sqlite3'],
          'app/ never talks to Docker or SQLite directly: go through @/platform.',
        ],
        [
          ['@/sandbox/*', '@/store/*', '@/course/*', '@/grader/*', '@/platform/*', ...CONTRACT],
          'import a library through its index, never its internals.',
        ],
      ),
    },
  },
  {
    files: ['cli/**', 'tests/**', 'bench/**'],
    ignores: ['bench/baselines/**'],
    rules: {
      'no-restricted-imports': restrict(
        [
          ['dockerode'],
          'dockerode is imported by sandbox/runtime/docker/ only; tests and tools use the public APIs.',
        ],
        [
          ['@/sandbox/*', '@/store/*', '@/course/*', '@/grader/*', '@/platform/*', ...CONTRACT],
          'use a library through its index (public API), never its internals.',
        ],
      ),
    },
  },
  {
    // Configuration is parsed once, with zod, in platform/env.ts; everything else gets the Env.
    files: ['app/**', 'platform/**', 'sandbox/**', 'store/**', 'course/**', 'grader/**', 'cli/**'],
    ignores: ['**/*.test.ts', 'platform/platform.ts', 'cli/commands/serve.ts'],
    rules: {
      'no-restricted-properties': [
        'error',
        {
          object: 'process',
          property: 'env',
          message: 'read configuration from the parsed Env of platform/env.ts, not process.env.',
        },
      ],
    },
  },
  {
    files: ['**/*.mjs', 'scripts/**'],
    languageOptions: {
      globals: {
        process: 'readonly',
        console: 'readonly',
        URL: 'readonly',
        setTimeout: 'readonly',
        fetch: 'readonly',
      },
    },
  },
);
