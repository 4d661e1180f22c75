import type { NextConfig } from 'next';

const config: NextConfig = {
  // Node-only packages with native or dynamic parts: loaded from node_modules at run time, not bundled.
  serverExternalPackages: [
    'dockerode',
    'docker-modem',
    'ssh2',
    'cpu-features',
    'better-sqlite3',
    'mdx-bundler',
    'esbuild',
  ],
  poweredByHeader: false,
  reactStrictMode: true,
};

export default config;
