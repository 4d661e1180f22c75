import { isMap, isNode, isScalar, LineCounter, parseDocument } from 'yaml';
import type { z } from 'zod';
import { ContentError } from './errors';

/**
 * Parses YAML text and checks it against a schema; any problem is a ContentError naming the file,
 * line, column and field. `firstLine` is where the text starts in its file (a lesson's frontmatter
 * starts on line 2), so positions are the file's own.
 */
export function parseYamlWithSchema<T extends z.ZodType>(
  file: string,
  text: string,
  schema: T,
  firstLine = 1,
): z.infer<T> {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  const at = (offset: number) => {
    const pos = lineCounter.linePos(offset);
    return { line: pos.line + firstLine - 1, col: pos.col };
  };
  const firstError = doc.errors[0];
  if (firstError) {
    const pos = at(firstError.pos[0]);
    throw new ContentError(file, pos.line, pos.col, `YAML: ${firstError.message.split('\n')[0]}`);
  }
  const parsed = schema.safeParse(doc.toJS());
  if (parsed.success) return parsed.data;
  const issue = mostSpecificIssue(parsed.error.issues[0]!);
  // Point at the deepest node of the path that exists (a missing field points at its parent).
  let node: unknown;
  for (let depth = issue.path.length; depth >= 0 && !isNode(node); depth -= 1) {
    node = depth === 0 ? doc.contents : doc.getIn(issue.path.slice(0, depth) as (string | number)[], true);
  }
  // An unknown field is best shown at its own key, not at the start of the map that holds it.
  if (issue.code === 'unrecognized_keys' && isMap(node)) {
    const pair = node.items.find((item) => isScalar(item.key) && item.key.value === issue.keys[0]);
    if (pair && isScalar(pair.key) && pair.key.range) node = pair.key;
  }
  const pos = at(isNode(node) && node.range ? node.range[0] : 0);
  const field = issue.path.join('.') || '(top level)';
  throw new ContentError(file, pos.line, pos.col, `${field}: ${issue.message}`);
}

/**
 * A value that may be one of several shapes (a check's kind) reaches us as "no option matched". The
 * option the author meant is the one whose key they wrote: report that option's own first problem.
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

/** The line and column of the value at a path in a YAML file (1,1 when the path is not there). */
export function yamlPosition(text: string, at: (string | number)[]): { line: number; column: number } {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter });
  const node: unknown = doc.getIn(at, true);
  if (!isNode(node) || !node.range) return { line: 1, column: 1 };
  const pos = lineCounter.linePos(node.range[0]);
  return { line: pos.line, column: pos.col };
}
