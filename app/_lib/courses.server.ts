import 'server-only';
import { cache } from 'react';
import {
  LabRecordSchema,
  LearnerProgressSchema,
  type LabRecord,
  type LearnerProgress,
  type StepView,
} from '@/contract';
import { currentPlatform } from '@/platform';
import { defaultEditorFile } from './files.server';
import { inContract } from './http.server';
import { currentLearnerId } from './sessions.server';

// Pages are the same HTML for every learner (the custom server keeps them rendered: docs/architecture.md,
// "Pages rendered once"); what is the learner's own comes from `learnerProgress` and `labRecord`,
// which the browser asks for once the page has loaded.

export interface CourseCard {
  id: string;
  title: string;
  description: string;
  lessons: number;
  /** Steps in all of the course's labs. */
  steps: number;
}

/** The catalogue: every course and how many steps it has. */
export function courseCards(): CourseCard[] {
  const { courses } = currentPlatform();
  return courses.courses().map((course) => ({
    id: course.id,
    title: course.title,
    description: course.description,
    lessons: course.lessons.length,
    steps: courses.progress(course, undefined).total,
  }));
}

/** One course with its lessons and the steps of each (the same for every learner). */
export function coursePage(courseId: string) {
  const { courses } = currentPlatform();
  const course = courses.course(courseId);
  if (!course) return undefined;
  return { course, steps: courses.progress(course, undefined) };
}

/** `GET /api/progress`: this learner's steps passed in every course and each of its lessons. */
export async function learnerProgress(): Promise<LearnerProgress> {
  const { courses } = currentPlatform();
  const learnerId = await currentLearnerId();
  return inContract(LearnerProgressSchema, {
    courses: courses.courses().map((course) => courses.progress(course, learnerId)),
  });
}

/** `GET /api/labs/{labId}/record`: this learner's steps of the lab and whether it runs for them. */
export async function labRecord(labId: string): Promise<LabRecord | undefined> {
  const { learnerLabs } = currentPlatform();
  const lab = learnerLabs.lab(labId);
  if (!lab) return undefined;
  const learnerId = await currentLearnerId();
  return inContract(LabRecordSchema, {
    labId: lab.id,
    steps: learnerLabs.stepsFor(lab, learnerId),
    live: learnerId ? learnerLabs.liveSession(lab.id, learnerId) !== undefined : false,
  });
}

export interface LessonPageData {
  course: { id: string; title: string };
  lesson: { slug: string; number: number; title: string; summary: string; duration: number; lab: string };
  previous?: { slug: string; title: string };
  next?: { slug: string; title: string };
  code: string;
  /** The lab's steps as a learner with no record sees them; the page fills in the learner's own. */
  lab: { id: string; title: string; steps: StepView[]; defaultFile: string } | undefined;
}

/** A lesson with its compiled MDX, its lab's steps and its neighbours. */
// Once per render: the page and its metadata both ask for it.
export const lessonPage = cache(lessonPageNow);

async function lessonPageNow(courseId: string, slug: string): Promise<LessonPageData | undefined> {
  const platform = currentPlatform();
  const course = platform.courses.course(courseId);
  const index = course?.lessons.findIndex((lesson) => lesson.slug === slug) ?? -1;
  if (!course || index < 0) return undefined;
  const lesson = course.lessons[index]!;
  const { code } = await platform.courses.compiled(lesson);
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
      steps: platform.learnerLabs.stepsFor(lab, undefined),
      defaultFile: defaultEditorFile(lab),
    },
  };
}
