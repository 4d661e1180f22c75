import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { API_DOC_END, API_DOC_START, apiDocBlock } from './api-doc';

const DOC = new URL('../docs/api.md', import.meta.url);

describe('docs/api.md', () => {
  it('shows the schemas the server answers with and the browser reads (npm run docs:api rewrites it)', () => {
    const text = fs.readFileSync(DOC, 'utf8');
    const start = text.indexOf(API_DOC_START);
    const end = text.indexOf(API_DOC_END);
    expect(start, 'docs/api.md has the contract markers').toBeGreaterThanOrEqual(0);
    expect(text.slice(start, end + API_DOC_END.length)).toBe(apiDocBlock());
  });
});
