import fs from 'node:fs';
import path from 'node:path';
import { readContent, type Lesson } from './content';
import { ContentError } from './errors';
import { readLabs, type LabDefinition } from './lab-definition';
import { compileLesson, type CompiledLesson } from './lesson-mdx';
import { yamlPosition } from './yaml-source';

/** The components a lesson may use (app/_components/lesson/mdx-components.tsx renders them). */
export const LESSON_COMPONENTS = {
  Callout: { required: [] },
  Run: { required: [] },
  Step: { required: ['id'] },
  Hint: { required: [] },
  FileRef: { required: ['path'] },
} as const satisfies Record<string, { required: readonly string[] }>;

export interface LintReport {
  problems: ContentError[];
  lessons: number;
  labs: number;
}

export interface LintPaths {
  contentDir: string;
  labsDir: string;
  imagesDir: string;
}

/** Every problem in the content and the labs, each at its file, line and column. */
export async function lintContent(paths: LintPaths): Promise<LintReport> {
  const content = readContent(paths.contentDir);
  const labReading = readLabs(paths.labsDir);
  const problems = [...content.problems, ...labReading.problems];
  const labs = new Map(labReading.labs.map((lab) => [lab.id, lab]));
  for (const lab of labReading.labs) problems.push(...labProblems(lab, paths.imagesDir));
  let lessons = 0;
  for (const course of content.courses) {
    const slugs = new Set(course.lessons.map((lesson) => lesson.slug));
    for (const lesson of course.lessons) {
      lessons += 1;
      const text = fs.readFileSync(lesson.file, 'utf8');
      const frontmatter = (key: string) => frontmatterPosition(lesson, text, key);
      for (const prerequisite of lesson.prerequisites) {
        if (!slugs.has(prerequisite)) {
          const at = frontmatter('prerequisites');
          problems.push(
            new ContentError(
              lesson.file,
              at.line,
              at.column,
              `prerequisites: "${prerequisite}" is not a lesson of this course`,
            ),
          );
        }
      }
      const lab = labs.get(lesson.lab);
      if (!lab) {
        const at = frontmatter('lab');
        problems.push(
          new ContentError(
            lesson.file,
            at.line,
            at.column,
            `lab: there is no lab "${lesson.lab}" (every lesson needs one, in labs/${lesson.lab}/lab.yaml)`,
          ),
        );
      }
      let compiled: CompiledLesson;
      try {
        compiled = await compileLesson(lesson.file);
      } catch (error) {
        if (!(error instanceof ContentError)) throw error;
        problems.push(error);
        continue;
      }
      problems.push(...componentProblems(lesson, compiled, lab));
      problems.push(...mentionProblems(lesson, text, slugs));
      problems.push(
        ...linkProblems(
          lesson,
          compiled,
          content.courses.map((c) => ({ id: c.id, slugs: new Set(c.lessons.map((l) => l.slug)) })),
          labs,
        ),
      );
    }
  }
  problems.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column);
  return { problems, lessons, labs: labReading.labs.length };
}

function frontmatterPosition(lesson: Lesson, text: string, key: string) {
  const index = text.split('\n').findIndex((line, i) => i < lesson.bodyLine && line.startsWith(`${key}:`));
  return { line: index < 0 ? 1 : index + 1, column: 1 };
}

function labProblems(lab: LabDefinition, imagesDir: string): ContentError[] {
  const text = fs.readFileSync(lab.file, 'utf8');
  const problems: ContentError[] = [];
  const at = (where: (string | number)[], message: string) => {
    const pos = yamlPosition(text, where);
    problems.push(new ContentError(lab.file, pos.line, pos.column, message));
  };
  if (!fs.existsSync(path.join(imagesDir, lab.image, 'Dockerfile')))
    at(['image'], `image: no labs/images/${lab.image}/Dockerfile`);
  const ids = new Set<string>();
  lab.steps.forEach((step, index) => {
    if (ids.has(step.id))
      at(['steps', index, 'id'], `steps.${index}.id: "${step.id}" is used by an earlier step`);
    for (const required of step.requires) {
      if (!ids.has(required))
        at(
          ['steps', index, 'requires'],
          `steps.${index}.requires: "${required}" is not an earlier step of this lab`,
        );
    }
    ids.add(step.id);
    if (step.checks.length === 0) at(['steps', index], `steps.${index}: the step "${step.id}" has no checks`);
    if (!step.solution) at(['steps', index], `steps.${index}: the step "${step.id}" has no solution script`);
    else if (!fs.existsSync(path.join(lab.dir, step.solution)))
      at(['steps', index, 'solution'], `steps.${index}.solution: ${step.solution} does not exist`);
  });
  return problems;
}

function componentProblems(
  lesson: Lesson,
  compiled: CompiledLesson,
  lab: LabDefinition | undefined,
): ContentError[] {
  const problems: ContentError[] = [];
  const known = LESSON_COMPONENTS as Record<string, { required: readonly string[] }>;
  const placed: string[] = [];
  for (const use of compiled.components) {
    const problem = (message: string) =>
      problems.push(new ContentError(lesson.file, use.line, use.column, message));
    const spec = known[use.name];
    if (!spec) {
      problem(
        `<${use.name}> is not a lesson component (use ${Object.keys(known)
          .map((name) => `<${name}>`)
          .join(', ')})`,
      );
      continue;
    }
    for (const attribute of spec.required) {
      if (typeof use.attributes[attribute] !== 'string')
        problem(`<${use.name}> needs a ${attribute}="…" attribute`);
    }
    if (use.name === 'Step' && typeof use.attributes['id'] === 'string') {
      const id = use.attributes['id'];
      if (lab && !lab.steps.some((step) => step.id === id))
        problem(`<Step id="${id}">: the lab ${lab.id} has no step "${id}"`);
      placed.push(id);
    }
    if (use.name === 'Run' && use.text.trim() === '') problem('<Run> needs the command as its text');
    if (
      use.name === 'FileRef' &&
      typeof use.attributes['path'] === 'string' &&
      !use.attributes['path'].startsWith('/')
    )
      problem(
        `<FileRef path="${use.attributes['path']}">: the path must be absolute (a path in the sandbox)`,
      );
  }
  if (lab) {
    const inLab = lab.steps.map((step) => step.id).filter((id) => placed.includes(id));
    const missing = lab.steps.filter((step) => !placed.includes(step.id));
    const at = { line: lesson.bodyLine, column: 1 };
    for (const step of missing)
      problems.push(
        new ContentError(
          lesson.file,
          at.line,
          at.column,
          `the lab's step "${step.id}" has no <Step id="${step.id}"> in the lesson`,
        ),
      );
    const order = placed.filter((id) => inLab.includes(id));
    if (order.join() !== inLab.join())
      problems.push(
        new ContentError(
          lesson.file,
          at.line,
          at.column,
          `the <Step>s are in a different order (${order.join(', ')}) than the lab's steps (${inLab.join(', ')})`,
        ),
      );
  }
  return problems;
}

/**
 * "Lesson 7" or "lessons 12 and 13" in a lesson's prose is a cross-link in words: each number must be
 * the two-digit prefix of a lesson folder of the same course. Fenced code and inline code are not
 * prose (a starter file may well say "Lesson 1:"), and neither is the frontmatter.
 */
function mentionProblems(lesson: Lesson, text: string, slugs: Set<string>): ContentError[] {
  const numbers = new Set([...slugs].map((slug) => Number.parseInt(slug, 10)));
  const problems: ContentError[] = [];
  const lines = text.split('\n');
  let fence: string | undefined;
  for (let index = lesson.bodyLine - 1; index < lines.length; index += 1) {
    const line = lines[index]!;
    const marker = /^\s*(`{3,}|~{3,})/.exec(line)?.[1];
    if (marker && (fence === undefined || marker.startsWith(fence))) {
      fence = fence === undefined ? marker : undefined;
      continue;
    }
    if (fence !== undefined) continue;
    const prose = line.replace(/`[^`]*`/g, (code) => ' '.repeat(code.length));
    for (const mention of prose.matchAll(/\b[Ll]essons?\s+\d+(?:\s*(?:,|and|or|to|through|–|-)\s*\d+)*/g)) {
      for (const number of mention[0].matchAll(/\d+/g)) {
        const value = Number.parseInt(number[0], 10);
        if (numbers.has(value)) continue;
        problems.push(
          new ContentError(
            lesson.file,
            index + 1,
            mention.index + number.index + 1,
            `the text mentions lesson ${value}, and this course has no lesson ${String(value).padStart(2, '0')}-…`,
          ),
        );
      }
    }
  }
  return problems;
}

function linkProblems(
  lesson: Lesson,
  compiled: CompiledLesson,
  courses: { id: string; slugs: Set<string> }[],
  labs: Map<string, LabDefinition>,
): ContentError[] {
  const problems: ContentError[] = [];
  for (const link of compiled.links) {
    const url = link.url;
    if (/^[a-z][a-z0-9+.-]*:/i.test(url) || url.startsWith('#') || url.startsWith('//')) continue;
    const target = url.split(/[?#]/)[0]!;
    const resolved = target.startsWith('/')
      ? target
      : path.posix.join(`/courses/${lesson.course}/${lesson.slug}/`, target);
    const parts = resolved.split('/').filter(Boolean);
    const ok =
      (parts[0] === 'courses' && parts.length === 2 && courses.some((course) => course.id === parts[1])) ||
      (parts[0] === 'courses' &&
        parts.length === 3 &&
        courses.some((course) => course.id === parts[1] && course.slugs.has(parts[2]!))) ||
      (parts[0] === 'labs' && parts.length === 2 && labs.has(parts[1]!)) ||
      resolved === '/' ||
      resolved === '/status';
    if (!ok)
      problems.push(
        new ContentError(
          lesson.file,
          link.line,
          link.column,
          `the link "${url}" leads nowhere in Keiko (${resolved})`,
        ),
      );
  }
  return problems;
}
