import fs from 'node:fs';
import path from 'node:path';
import { isNode, LineCounter, parseDocument } from 'yaml';
import { z } from 'zod';
import { CheckSchema } from './checks';
import { ContentError } from './errors';

const Id = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]*$/, 'use lowercase letters, digits and dashes, e.g. bottle-01-run');

export const LabStepSchema = z
  .object({
    id: Id,
    title: z.string().min(1),
    hint: z.string().optional(),
    /** Steps that must pass before this one is graded. */
    requires: z.array(Id).default([]),
    checks: z.array(CheckSchema).default([]),
    /** A shell script, relative to the lab folder, that a learner's "skip" and `keiko test-labs` run. */
    solution: z.string().optional(),
  })
  .strict();
export type LabStep = z.infer<typeof LabStepSchema>;

export const LabDefinitionSchema = z
  .object({
    id: Id,
    title: z.string().min(1),
    /** A folder name under labs/images/. */
    image: Id,
    workdir: z.string().startsWith('/', 'an absolute path inside the sandbox').optional(),
    limits: z.record(z.string(), z.number()).optional(),
    steps: z.array(LabStepSchema).default([]),
  })
  .strict();
export type LabDefinition = z.infer<typeof LabDefinitionSchema> & { dir: string; file: string };

/** Parses one lab.yaml; every problem names the file, line and field. */
export function parseLabDefinition(file: string, text: string): LabDefinition {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  const at = (offset: number) => lineCounter.linePos(offset);
  const firstError = doc.errors[0];
  if (firstError) {
    const pos = at(firstError.pos[0]);
    throw new ContentError(file, pos.line, pos.col, `YAML: ${firstError.message.split('\n')[0]}`);
  }
  const parsed = LabDefinitionSchema.safeParse(doc.toJS());
  if (!parsed.success) {
    const issue = mostSpecificIssue(parsed.error.issues[0]!);
    // Point at the deepest node of the path that exists (a missing field points at its parent).
    let node: unknown;
    for (let depth = issue.path.length; depth >= 0 && !isNode(node); depth -= 1) {
      node = depth === 0 ? doc.contents : doc.getIn(issue.path.slice(0, depth) as (string | number)[], true);
    }
    const offset = isNode(node) && node.range ? node.range[0] : 0;
    const pos = at(offset);
    const field = issue.path.join('.') || '(top level)';
    throw new ContentError(file, pos.line, pos.col, `${field}: ${issue.message}`);
  }
  return { ...parsed.data, dir: path.dirname(file), file };
}

/** Every `labs/<id>/lab.yaml`, checked; the folder name must be the lab's id. */
export function loadLabs(labsDir: string): LabDefinition[] {
  if (!fs.existsSync(labsDir)) return [];
  return fs
    .readdirSync(labsDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && fs.existsSync(path.join(labsDir, entry.name, 'lab.yaml')))
    .map((entry) => {
      const file = path.join(labsDir, entry.name, 'lab.yaml');
      const lab = parseLabDefinition(file, fs.readFileSync(file, 'utf8'));
      if (lab.id !== entry.name)
        throw new ContentError(file, 1, 1, `id: "${lab.id}" must match its folder name "${entry.name}"`);
      return lab;
    })
    .sort((a, b) => a.id.localeCompare(b.id));
}

/**
 * A check is one of several kinds, so a mistake inside one reaches us as "no kind matched". The kind
 * the author meant is the one whose key they wrote: report that option's own first problem.
 */
function mostSpecificIssue(issue: z.core.$ZodIssue): z.core.$ZodIssue {
  if (issue.code !== 'invalid_union') return issue;
  const meant = issue.errors.find(
    (optionIssues) =>
      optionIssues.length > 0 &&
      !optionIssues.some((inner) => inner.code === 'unrecognized_keys' && inner.path.length === 0),
  );
  const inner = meant?.[0];
  return inner ? mostSpecificIssue({ ...inner, path: [...issue.path, ...inner.path] }) : issue;
}
