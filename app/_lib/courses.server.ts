import 'server-only';
import { cache } from 'react';
import type { StepView } from '@/contract';
import { currentPlatform, type CourseProgress } from '@/platform';
import { defaultEditorFile } from './files.server';
import { currentLearnerId } from './sessions.server';

export interface CourseCard {
  id: string;
  title: string;
  description: string;
  lessons: number;
  progress: CourseProgress;
}

/** The catalogue: every course with this learner's progress. */
export async function courseCards(): Promise<CourseCard[]> {
  const { courses } = currentPlatform();
  const learnerId = await currentLearnerId();
  return courses.courses().map((course) => ({
    id: course.id,
    title: course.title,
    description: course.description,
    lessons: course.lessons.length,
    progress: courses.progress(course, learnerId),
  }));
}

/** One course with its lessons and this learner's progress in each. */
export const coursePage = cache(coursePageNow);

async function coursePageNow(courseId: string) {
  const { courses } = currentPlatform();
  const course = courses.course(courseId);
  if (!course) return undefined;
  return { course, progress: courses.progress(course, await currentLearnerId()) };
}

export interface LessonPageData {
  course: { id: string; title: string };
  lesson: { slug: string; number: number; title: string; summary: string; duration: number; lab: string };
  previous?: { slug: string; title: string };
  next?: { slug: string; title: string };
  code: string;
  lab: { id: string; title: string; steps: StepView[]; live: boolean; defaultFile: string } | undefined;
}

/** A lesson with its compiled MDX, its lab's steps with this learner's record, and its neighbours. */
// Once per request: the page and its metadata both ask for it.
export const lessonPage = cache(lessonPageNow);

async function lessonPageNow(courseId: string, slug: string): Promise<LessonPageData | undefined> {
  const platform = currentPlatform();
  const course = platform.courses.course(courseId);
  const index = course?.lessons.findIndex((lesson) => lesson.slug === slug) ?? -1;
  if (!course || index < 0) return undefined;
  const lesson = course.lessons[index]!;
  const { code } = await platform.courses.compiled(lesson);
  const learnerId = await currentLearnerId();
  const lab = platform.learnerLabs.lab(lesson.lab);
  const neighbour = (at: number) => {
    const other = course.lessons[at];
    return other ? { slug: other.slug, title: other.title } : undefined;
  };
  return {
    course: { id: course.id, title: course.title },
    lesson: {
      slug: lesson.slug,
      number: lesson.number,
      title: lesson.title,
      summary: lesson.summary,
      duration: lesson.duration,
      lab: lesson.lab,
    },
    previous: neighbour(index - 1),
    next: neighbour(index + 1),
    code,
    lab: lab && {
      id: lab.id,
      title: lab.title,
      steps: platform.learnerLabs.stepsFor(lab, learnerId),
      live: learnerId ? platform.learnerLabs.liveSession(lab.id, learnerId) !== undefined : false,
      defaultFile: defaultEditorFile(lab),
    },
  };
}
