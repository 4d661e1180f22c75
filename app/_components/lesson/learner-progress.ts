'use client';

import { useEffect, useState } from 'react';
import { LearnerProgressSchema, type LearnerProgress } from '@/contract';
import { readAnswer } from '../api-answer';

// The progress bars of one page ask once between them: the first bar to mount starts the request,
// the others that mount with it wait for the same answer; the next page asks again.
let pending: Promise<LearnerProgress | null> | null = null;

function fetchProgress(): Promise<LearnerProgress | null> {
  pending ??= fetch('/api/progress', { cache: 'no-store' })
    .then((response) => readAnswer(response, LearnerProgressSchema))
    .then((answer) => (answer.ok ? answer.value : null))
    .catch(() => null)
    .finally(() => setTimeout(() => (pending = null), 0));
  return pending;
}

/**
 * This learner's steps passed in a course, or in one of its lessons; `undefined` until the server
 * answered (pages are the same HTML for every learner, so their progress arrives after them).
 */
export function usePassedSteps(courseId: string, lessonSlug?: string): number | undefined {
  const [passed, setPassed] = useState<number | undefined>(undefined);
  useEffect(() => {
    let current = true;
    void fetchProgress().then((progress) => {
      if (!current || !progress) return;
      const course = progress.courses.find((candidate) => candidate.courseId === courseId);
      const scope = lessonSlug ? course?.lessons.find((lesson) => lesson.slug === lessonSlug) : course;
      setPassed(scope?.passed ?? 0);
    });
    return () => {
      current = false;
    };
  }, [courseId, lessonSlug]);
  return passed;
}
