// `keiko lint` and `keiko new lesson` as an instructor runs them: every deliberate mistake reported at
// its file:line:col with exit 1, the real course and the fixture course clean with exit 0, and a
// scaffolded lesson clean from the start.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT, runNode } from '../../support/cli';
import { tempDir } from '../../support/temp';

const LINT = path.join(PROJECT_ROOT, 'tests', 'fixtures', 'lint');
const scratch = tempDir('lint');
afterAll(() => scratch.remove());

describe('keiko lint', () => {
  it('reports each broken fixture at its file:line:col and exits 1', async () => {
    const result = await runNode([
      'lint',
      '--content',
      path.join(LINT, 'content'),
      '--labs',
      path.join(LINT, 'labs'),
    ]);
    expect(result.code).toBe(1);
    const expected = fs.readFileSync(path.join(LINT, 'expected.txt'), 'utf8').trim().split('\n');
    expect(result.stdout.trim().split('\n')).toEqual(expected);
    expect(result.stderr).toContain('keiko lint: 10 problems in 5 lessons and 1 lab');
  });

  it('passes the real course (content/ and labs/) with exit 0', async () => {
    const result = await runNode(['lint']);
    expect(result.stdout).toBe('');
    expect(result.code, result.stderr).toBe(0);
  });

  it('passes the fixture course the end-to-end tests use', async () => {
    const fixtures = path.join(PROJECT_ROOT, 'tests', 'fixtures');
    const result = await runNode([
      'lint',
      '--content',
      path.join(fixtures, 'content'),
      '--labs',
      path.join(fixtures, 'labs'),
    ]);
    expect(result.code, result.stdout).toBe(0);
  });

  it('answers --json with the same problems, machine-readable', async () => {
    const result = await runNode([
      'lint',
      '--json',
      '--content',
      path.join(LINT, 'content'),
      '--labs',
      path.join(LINT, 'labs'),
    ]);
    const report = JSON.parse(result.stdout) as {
      ok: boolean;
      problems: { file: string; line: number; column: number; message: string }[];
    };
    expect(report.ok).toBe(false);
    expect(report.problems).toContainEqual({
      file: 'tests/fixtures/lint/content/broken/02-missing-step/index.mdx',
      line: 11,
      column: 1,
      message: '<Step id="three">: the lab broken-lab has no step "three"',
    });
  });
});

describe('keiko new lesson', () => {
  it('scaffolds a lesson, its lab and its place in the course, and the result lints clean', async () => {
    const content = path.join(scratch.dir, 'content');
    const labs = path.join(scratch.dir, 'labs');
    fs.mkdirSync(path.join(content, 'demo', '01-intro'), { recursive: true });
    fs.mkdirSync(labs);
    fs.cpSync(
      path.join(PROJECT_ROOT, 'tests', 'fixtures', 'content', 'example', '01-files'),
      path.join(content, 'demo', '01-intro'),
      { recursive: true },
    );
    fs.cpSync(
      path.join(PROJECT_ROOT, 'tests', 'fixtures', 'labs', 'example-files'),
      path.join(labs, 'example-files'),
      { recursive: true },
    );
    fs.writeFileSync(
      path.join(content, 'demo', 'course.yaml'),
      '# the demo course\ntitle: Demo\ndescription: A demo.\nlessons:\n  - 01-intro\n',
    );
    fs.writeFileSync(
      path.join(content, 'demo', '01-intro', 'index.mdx'),
      fs
        .readFileSync(path.join(content, 'demo', '01-intro', 'index.mdx'), 'utf8')
        .replace('Next: [the grading lesson](../02-grading).', ''),
    );

    const created = await runNode([
      'new',
      'lesson',
      'demo',
      'serving-files',
      '--content',
      content,
      '--labs',
      labs,
    ]);
    expect(created.code, created.stderr).toBe(0);
    expect(created.stdout).toContain('02-serving-files/index.mdx');
    expect(fs.readFileSync(path.join(content, 'demo', 'course.yaml'), 'utf8')).toBe(
      '# the demo course\ntitle: Demo\ndescription: A demo.\nlessons:\n  - 01-intro\n  - 02-serving-files\n',
    );
    expect(fs.existsSync(path.join(labs, 'demo-02-serving-files', 'solutions', 'write-file.sh'))).toBe(true);

    const linted = await runNode(['lint', '--content', content, '--labs', labs]);
    expect(linted.code, linted.stdout).toBe(0);

    const again = await runNode([
      'new',
      'lesson',
      'demo',
      '02-serving-files',
      '--content',
      content,
      '--labs',
      labs,
    ]);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('demo already has a lesson 02-serving-files');
  });
});
