import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readContent, splitFrontmatter } from './content';
import { ContentError } from './errors';

const FIXTURES = path.resolve(import.meta.dirname, '..', 'tests', 'fixtures', 'content');
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'keiko-content-'));
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

describe('readContent', () => {
  it('reads a course with its lessons in the order course.yaml gives', () => {
    const { courses, problems } = readContent(FIXTURES);
    expect(problems).toEqual([]);
    expect(courses).toHaveLength(1);
    expect(courses[0]).toMatchObject({ id: 'example', title: 'Example course' });
    expect(courses[0]!.lessons.map((lesson) => [lesson.number, lesson.slug, lesson.lab])).toEqual([
      [1, '01-files', 'example-files'],
      [2, '02-grading', 'grading-demo'],
    ]);
    expect(courses[0]!.lessons[1]).toMatchObject({ prerequisites: ['01-files'], duration: 10, bodyLine: 8 });
  });

  it('keeps reading after a broken lesson, and reports it at its line', () => {
    const dir = path.join(scratch, 'one', 'c');
    fs.mkdirSync(path.join(dir, '01-good'), { recursive: true });
    fs.mkdirSync(path.join(dir, '02-bad'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'course.yaml'), 'title: C\ndescription: D\nlessons: [01-good, 02-bad]\n');
    const frontmatter = (extra: string) =>
      `---\ntitle: T\nsummary: S\nduration: 5\nlab: l\n${extra}---\nText\n`;
    fs.writeFileSync(path.join(dir, '01-good', 'index.mdx'), frontmatter(''));
    fs.writeFileSync(path.join(dir, '02-bad', 'index.mdx'), frontmatter('colour: blue\n'));
    const { courses, problems } = readContent(path.join(scratch, 'one'));
    expect(courses[0]!.lessons.map((lesson) => lesson.slug)).toEqual(['01-good']);
    expect(problems.map((problem) => problem.message)).toEqual([
      `${path.join(dir, '02-bad', 'index.mdx')}:6:1 (top level): Unrecognized key: "colour"`,
    ]);
  });

  it('names a course.yaml whose lesson folder has a wrong name', () => {
    const dir = path.join(scratch, 'two', 'c');
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'course.yaml'), 'title: C\ndescription: D\nlessons:\n  - intro\n');
    const { problems } = readContent(path.join(scratch, 'two'));
    expect(problems[0]?.message).toMatch(/course\.yaml:4:5 lessons\.0: a lesson folder: two digits/);
  });
});

describe('splitFrontmatter', () => {
  it('finds the YAML and the line the body starts on', () => {
    expect(splitFrontmatter('f.mdx', '---\ntitle: x\n---\n\nBody')).toEqual({
      yaml: 'title: x',
      bodyLine: 4,
    });
  });

  it('refuses a lesson without frontmatter, or with no closing line', () => {
    expect(() => splitFrontmatter('f.mdx', '# Title\n')).toThrow(ContentError);
    expect(() => splitFrontmatter('f.mdx', '---\ntitle: x\n')).toThrow(
      'f.mdx:1:1 the frontmatter has no closing --- line',
    );
  });
});
