import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { ContentError } from './errors';
import { filesInSubfolders, memoizeByFiles } from './file-memo';
import { parseYamlWithSchema, yamlPosition } from './yaml-source';

const LabId = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]*$/, 'a lab id: lowercase letters, digits and dashes, e.g. bottle-01-hello');
/** A lesson's folder: a two-digit number for its place, then a slug, e.g. `01-starting-bottle`. */
export const LessonSlugSchema = z
  .string()
  .regex(
    /^\d{2}-[a-z0-9][a-z0-9-]*$/,
    'a lesson folder: two digits, a dash and a slug, e.g. 01-starting-bottle',
  );
export const CourseIdSchema = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]*$/, 'a course folder: lowercase letters, digits and dashes');

export const CourseFileSchema = z
  .object({
    title: z.string().min(1),
    description: z.string().min(1),
    /** Lesson folders, in the order a learner takes them. */
    lessons: z.array(LessonSlugSchema).min(1),
  })
  .strict();

export const LessonFrontmatterSchema = z
  .object({
    title: z.string().min(1),
    /** One sentence for the course page. */
    summary: z.string().min(1),
    /** Minutes a learner typically needs. */
    duration: z.number().int().min(1).max(600),
    /** The id of the lab beside the lesson (a folder under labs/). */
    lab: LabId,
    /** Lesson folders of the same course to take first. */
    prerequisites: z.array(LessonSlugSchema).default([]),
  })
  .strict();
export type LessonFrontmatter = z.infer<typeof LessonFrontmatterSchema>;

export interface Lesson extends LessonFrontmatter {
  course: string;
  slug: string;
  /** 1-based place in its course. */
  number: number;
  /** The MDX file. */
  file: string;
  /** Line where the MDX body starts, after the frontmatter. */
  bodyLine: number;
}

export interface Course {
  id: string;
  file: string;
  title: string;
  description: string;
  lessons: Lesson[];
}

/** The frontmatter between the opening and closing `---` of an MDX file, and where the body starts. */
export function splitFrontmatter(file: string, text: string): { yaml: string; bodyLine: number } {
  const lines = text.split('\n');
  if (lines[0]?.trim() !== '---')
    throw new ContentError(
      file,
      1,
      1,
      'a lesson starts with frontmatter between --- lines (title, summary, …)',
    );
  const end = lines.findIndex((line, index) => index > 0 && line.trim() === '---');
  if (end < 0) throw new ContentError(file, 1, 1, 'the frontmatter has no closing --- line');
  return { yaml: lines.slice(1, end).join('\n'), bodyLine: end + 2 };
}

/** One lesson's metadata from its `index.mdx` (the body is compiled separately). */
export function readLesson(course: string, slug: string, number: number, file: string): Lesson {
  const text = fs.readFileSync(file, 'utf8');
  const { yaml, bodyLine } = splitFrontmatter(file, text);
  const frontmatter = parseYamlWithSchema(file, yaml, LessonFrontmatterSchema, 2);
  return { ...frontmatter, course, slug, number, file, bodyLine };
}

export interface ContentReading {
  courses: Course[];
  /** Every problem found; a course or lesson with a problem is left out of `courses`. */
  problems: ContentError[];
}

/** Every course under the content folder with its lessons, and every problem found on the way. */
export function readContent(contentDir: string): ContentReading {
  const files = filesInSubfolders(contentDir, 'course.yaml').flatMap((courseFile) => {
    const courseDir = courseFile.slice(0, -'/course.yaml'.length);
    return [courseFile, ...filesInSubfolders(courseDir, 'index.mdx')];
  });
  return memoizeByFiles(`content:${contentDir}`, files, () => readContentNow(contentDir));
}

function readContentNow(contentDir: string): ContentReading {
  const courses: Course[] = [];
  const problems: ContentError[] = [];
  if (!fs.existsSync(contentDir)) return { courses, problems };
  const folders = fs
    .readdirSync(contentDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && fs.existsSync(path.join(contentDir, entry.name, 'course.yaml')))
    .map((entry) => entry.name)
    .sort();
  for (const id of folders) {
    const file = path.join(contentDir, id, 'course.yaml');
    try {
      if (!CourseIdSchema.safeParse(id).success)
        throw new ContentError(
          file,
          1,
          1,
          `the course folder "${id}" must be lowercase letters, digits and dashes`,
        );
      const definition = parseYamlWithSchema(file, fs.readFileSync(file, 'utf8'), CourseFileSchema);
      const lessons: Lesson[] = [];
      definition.lessons.forEach((slug, index) => {
        const lessonFile = path.join(contentDir, id, slug, 'index.mdx');
        if (!fs.existsSync(lessonFile)) {
          const at = yamlPosition(fs.readFileSync(file, 'utf8'), ['lessons', index]);
          problems.push(
            new ContentError(file, at.line, at.column, `lessons.${index}: ${slug}/index.mdx does not exist`),
          );
          return;
        }
        try {
          lessons.push(readLesson(id, slug, index + 1, lessonFile));
        } catch (error) {
          if (!(error instanceof ContentError)) throw error;
          problems.push(error);
        }
      });
      courses.push({ id, file, title: definition.title, description: definition.description, lessons });
    } catch (error) {
      if (!(error instanceof ContentError)) throw error;
      problems.push(error);
    }
  }
  return { courses, problems };
}

/** The courses, or the first problem as an error: for the web app, which cannot show half a course. */
export function loadCourses(contentDir: string): Course[] {
  const { courses, problems } = readContent(contentDir);
  if (problems[0]) throw problems[0];
  return courses;
}
