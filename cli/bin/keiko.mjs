#!/usr/bin/env node
// `npx keiko …`: loads the TypeScript CLI through tsx's loader, in this same process.
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { register } from 'tsx/esm/api';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
register({ tsconfig: path.join(root, 'tsconfig.json') });
await import(pathToFileURL(path.join(root, 'cli', 'main.ts')).href);
