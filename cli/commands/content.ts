import fs from 'node:fs';
import path from 'node:path';
import { parseDocument, isSeq } from 'yaml';
import { compileLesson, CourseFileSchema, lintContent, readContent } from '@/course';
import { lessonCacheDir, processEnv, projectPaths } from '@/platform';
import { CliError } from '../errors';
import { PROJECT_ROOT } from '../project-root';

function contentPaths(options: { content?: string; labs?: string }) {
  const env = processEnv();
  const paths = projectPaths(PROJECT_ROOT, env);
  return {
    contentDir: options.content ? path.resolve(options.content) : paths.contentDir,
    labsDir: options.labs ? path.resolve(options.labs) : paths.labsDir,
    imagesDir: paths.imagesDir,
  };
}

/** `keiko lint`: every problem in lessons and labs as `file:line:col message`; exit 1 when any. */
export async function lint(options: { content?: string; labs?: string; json: boolean }): Promise<number> {
  const paths = contentPaths(options);
  const report = await lintContent(paths);
  const relative = (file: string) => path.relative(process.cwd(), file) || file;
  if (options.json) {
    console.log(
      JSON.stringify(
        {
          ok: report.problems.length === 0,
          lessons: report.lessons,
          labs: report.labs,
          problems: report.problems.map((p) => ({
            file: relative(p.file),
            line: p.line,
            column: p.column,
            message: p.problem,
          })),
        },
        null,
        2,
      ),
    );
  } else {
    for (const problem of report.problems)
      console.log(`${relative(problem.file)}:${problem.line}:${problem.column} ${problem.problem}`);
    console.error(
      report.problems.length === 0
        ? `keiko lint: ${plural(report.lessons, 'lesson')} and ${plural(report.labs, 'lab')}, no problems`
        : `keiko lint: ${plural(report.problems.length, 'problem')} in ${plural(report.lessons, 'lesson')} and ${plural(report.labs, 'lab')}`,
    );
  }
  return report.problems.length === 0 ? 0 : 1;
}

/**
 * `keiko new lesson COURSE SLUG`: a lesson folder with frontmatter and one graded step, its lab
 * with that step's check and solution, and the lesson added to the course's list. It lints clean.
 */
export function newLesson(
  course: string,
  slugArgument: string,
  options: { content?: string; labs?: string },
): number {
  const paths = contentPaths(options);
  const courseFile = path.join(paths.contentDir, course, 'course.yaml');
  if (!fs.existsSync(courseFile))
    throw new CliError(`no course "${course}": ${path.relative(process.cwd(), courseFile)} does not exist`);
  const slug = slugArgument.replace(/^\d{2}-/, '');
  if (!/^[a-z0-9][a-z0-9-]*$/.test(slug))
    throw new CliError(`"${slugArgument}" is not a slug: use lowercase letters, digits and dashes`, 2);
  const doc = parseDocument(fs.readFileSync(courseFile, 'utf8'));
  const current = CourseFileSchema.parse(doc.toJS());
  const numbers = current.lessons.map((lesson) => Number(lesson.slice(0, 2)));
  const number = /^\d{2}-/.test(slugArgument)
    ? Number(slugArgument.slice(0, 2))
    : Math.max(0, ...numbers) + 1;
  const folder = `${String(number).padStart(2, '0')}-${slug}`;
  if (current.lessons.includes(folder)) throw new CliError(`${course} already has a lesson ${folder}`);
  const labId = `${course}-${folder}`;
  const lessonDir = path.join(paths.contentDir, course, folder);
  const labDir = path.join(paths.labsDir, labId);
  for (const dir of [lessonDir, labDir]) {
    if (fs.existsSync(dir)) throw new CliError(`${path.relative(process.cwd(), dir)} already exists`);
  }
  const title = slug.replace(/-/g, ' ').replace(/^./, (c) => c.toUpperCase());
  fs.mkdirSync(lessonDir, { recursive: true });
  fs.writeFileSync(
    path.join(lessonDir, 'index.mdx'),
    `---
title: ${title}
summary: One sentence on what the learner builds in this lesson.
duration: 20
lab: ${labId}
prerequisites: []
---

What the learner will have built at the end, and why a working engineer cares.

## Write a file

A first step: make a file in the sandbox.

<Run>echo hello > /home/learner/app/hello.txt</Run>

<Step id="write-file" />
`,
  );
  fs.mkdirSync(path.join(labDir, 'solutions'), { recursive: true });
  fs.writeFileSync(
    path.join(labDir, 'lab.yaml'),
    `id: ${labId}
title: ${title}
image: bottle
workdir: /home/learner/app
steps:
  - id: write-file
    title: Write a file
    hint: echo hello > /home/learner/app/hello.txt
    checks:
      - file: { path: /home/learner/app/hello.txt, contains: hello }
    solution: solutions/write-file.sh
`,
  );
  fs.writeFileSync(
    path.join(labDir, 'solutions', 'write-file.sh'),
    'set -e\necho hello > /home/learner/app/hello.txt\n',
  );
  const lessons = doc.get('lessons');
  if (!isSeq(lessons)) throw new CliError(`${courseFile}: lessons is not a list`);
  lessons.add(folder);
  fs.writeFileSync(courseFile, doc.toString());
  const show = (file: string) => path.relative(process.cwd(), file);
  console.log(`created ${show(path.join(lessonDir, 'index.mdx'))}`);
  console.log(
    `created ${show(path.join(labDir, 'lab.yaml'))} and ${show(path.join(labDir, 'solutions', 'write-file.sh'))}`,
  );
  console.log(`added ${folder} to ${show(courseFile)}`);
  return 0;
}

/**
 * `keiko lessons build`: compiles every lesson into the cache the server reads (by content hash), so
 * a production server never compiles MDX while a learner waits. Unchanged lessons cost a hash.
 */
export async function buildLessons(): Promise<number> {
  const env = processEnv();
  const { contentDir } = projectPaths(PROJECT_ROOT, env);
  const { courses, problems } = readContent(contentDir);
  const cacheDir = lessonCacheDir(env.dataDir);
  let count = 0;
  for (const course of courses) {
    for (const lesson of course.lessons) {
      await compileLesson(lesson.file, { cacheDir });
      count += 1;
    }
  }
  for (const problem of problems) console.error(`keiko: ${problem.message}`);
  console.error(
    `keiko lessons: ${count} lessons compiled into ${path.relative(process.cwd(), cacheDir) || cacheDir}`,
  );
  return problems.length === 0 ? 0 : 1;
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
