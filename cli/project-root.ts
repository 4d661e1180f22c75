import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root: the CLI lives in `<root>/cli/`, wherever it is started from. */
export const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
