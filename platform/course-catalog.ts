import path from 'node:path';
import {
  compileLesson,
  readContent,
  type CompiledLesson,
  type Course,
  type LabDefinition,
  type Lesson,
} from '@/course';
import type { ProgressRepository } from '@/store';

export interface LessonProgress {
  slug: string;
  passed: number;
  total: number;
}

export interface CourseProgress {
  courseId: string;
  passed: number;
  total: number;
  lessons: LessonProgress[];
}

export interface CourseCatalogOptions {
  contentDir: string;
  /** Where compiled lessons are kept by content hash (filled by `keiko lessons build`). */
  cacheDir: string;
  labs: () => LabDefinition[];
  progress: ProgressRepository;
}

/**
 * The courses as the web app shows them: read from content/ on each call (a few small files), so an
 * instructor's edit shows on the next request; lessons compiled once per content.
 */
export class CourseCatalog {
  constructor(private readonly options: CourseCatalogOptions) {}

  courses(): Course[] {
    return readContent(this.options.contentDir).courses;
  }

  course(courseId: string): Course | undefined {
    return this.courses().find((course) => course.id === courseId);
  }

  lesson(courseId: string, slug: string): Lesson | undefined {
    return this.course(courseId)?.lessons.find((lesson) => lesson.slug === slug);
  }

  compiled(lesson: Lesson): Promise<CompiledLesson> {
    return compileLesson(lesson.file, { cacheDir: this.options.cacheDir });
  }

  /** Compiles every lesson into the cache; the problems are the lint's business. */
  async compileAll(): Promise<{ compiled: number }> {
    let compiled = 0;
    for (const course of this.courses()) {
      for (const lesson of course.lessons) {
        await this.compiled(lesson);
        compiled += 1;
      }
    }
    return { compiled };
  }

  /** Steps passed per lesson of a course, from the learner's attempts (a lab reset keeps them). */
  progress(course: Course, learnerId: string | undefined): CourseProgress {
    const labs = new Map(this.options.labs().map((lab) => [lab.id, lab]));
    const lessons = course.lessons.map((lesson): LessonProgress => {
      const lab = labs.get(lesson.lab);
      const total = lab?.steps.length ?? 0;
      if (!lab || !learnerId) return { slug: lesson.slug, passed: 0, total };
      const done = this.options.progress.forLab(learnerId, lab.id);
      const passed = lab.steps.filter((step) => done.get(step.id)?.passed).length;
      return { slug: lesson.slug, passed, total };
    });
    return {
      courseId: course.id,
      passed: lessons.reduce((sum, lesson) => sum + lesson.passed, 0),
      total: lessons.reduce((sum, lesson) => sum + lesson.total, 0),
      lessons,
    };
  }

  /** Which course and lesson a lab belongs to, for `GET /api/labs`. */
  placeOfLab(labId: string): { course: string; lesson: string } | undefined {
    for (const course of this.courses()) {
      const lesson = course.lessons.find((candidate) => candidate.lab === labId);
      if (lesson) return { course: course.id, lesson: lesson.slug };
    }
    return undefined;
  }
}

export function lessonCacheDir(dataDir: string): string {
  return path.join(dataDir, 'cache', 'lessons');
}
