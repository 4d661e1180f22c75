// Rewrites the generated part of docs/api.md from contract/ (the test in contract/api-doc.test.ts
// fails until this has run after a change to the contract).
import fs from 'node:fs';
import { API_DOC_END, API_DOC_START, apiDocBlock } from '../contract/api-doc';

const file = new URL('../docs/api.md', import.meta.url);
const text = fs.readFileSync(file, 'utf8');
const start = text.indexOf(API_DOC_START);
const end = text.indexOf(API_DOC_END);
const next =
  start < 0 || end < 0
    ? `${text.trimEnd()}\n\n${apiDocBlock()}\n`
    : text.slice(0, start) + apiDocBlock() + text.slice(end + API_DOC_END.length);
fs.writeFileSync(file, next);
console.log('docs/api.md: the contract block is up to date');
