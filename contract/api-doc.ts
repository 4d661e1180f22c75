import { z } from 'zod';
import { ErrorBodySchema } from './errors';
import { ConfigTestAnswerSchema } from './config-test';
import { StepResultSchema } from './results';
import { OpenedPortSchema, PortListSchema } from './ports';
import { LabListSchema, LabRecordSchema, LearnerProgressSchema, SessionObjectSchema } from './sessions';
import { StepEventSchema } from './step-events';
import { TerminalClientMessageSchema, TerminalEventSchema, TERMINAL_CLOSE } from './terminal';

/** The schemas docs/api.md shows, in the order it shows them, with the answer each describes. */
const DOCUMENTED = [
  ['The session object', 'POST /api/labs/{labId}/sessions, GET /api/sessions/{id}', SessionObjectSchema],
  ['A step result', 'POST /api/sessions/{id}/steps/{stepId}/check', StepResultSchema],
  [
    'A step event',
    'GET /api/sessions/{id}/events (server-sent events: checks as they run, then the step)',
    StepEventSchema,
  ],
  ['The lab list', 'GET /api/labs', LabListSchema],
  ["A learner's record of a lab", 'GET /api/labs/{labId}/record', LabRecordSchema],
  ["A learner's progress", 'GET /api/progress', LearnerProgressSchema],
  ['A configuration test', 'POST /api/sessions/{id}/files/config-test', ConfigTestAnswerSchema],
  ['The ports of a lab', 'GET /api/sessions/{id}/ports', PortListSchema],
  ['An opened port', 'POST /api/sessions/{id}/ports/{port}/open', OpenedPortSchema],
  ['An error', 'every 4xx and 5xx answer', ErrorBodySchema],
  [
    'A terminal client message',
    'text frames the browser sends on the terminal socket',
    TerminalClientMessageSchema,
  ],
  ['A terminal event', 'text frames the server sends besides the output', TerminalEventSchema],
] as const;

export const API_DOC_START = '<!-- contract:start (generated from contract/ by `npm run docs:api`) -->';
export const API_DOC_END = '<!-- contract:end -->';

/** The generated part of docs/api.md: each schema as JSON Schema, and the terminal's close codes. */
export function apiDocBlock(): string {
  const sections = DOCUMENTED.map(([title, where, schema]) =>
    [
      `### ${title}`,
      '',
      `${where}.`,
      '',
      '```json',
      JSON.stringify(z.toJSONSchema(schema, { io: 'output', unrepresentable: 'any' }), null, 2),
      '```',
    ].join('\n'),
  );
  const closeCodes = [
    '### Terminal close codes',
    '',
    '| code | meaning |',
    '| --- | --- |',
    ...Object.entries(TERMINAL_CLOSE).map(([name, code]) => `| ${code} | ${name} |`),
  ].join('\n');
  // prettier-ignore keeps the formatter from rewriting what this function writes.
  return [
    API_DOC_START,
    '<!-- prettier-ignore-start -->',
    '',
    ...sections.flatMap((section) => [section, '']),
    closeCodes,
    '',
    '<!-- prettier-ignore-end -->',
    API_DOC_END,
  ].join('\n');
}
