import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { ProgressBar } from '@/app/_components/lesson/progress-bar';
import { coursePage } from '@/app/_lib/courses.server';

// Rendered the same for every learner (the progress bars fill in the learner's own in the browser).
export const dynamic = 'force-dynamic';

type Props = { params: Promise<{ course: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const page = coursePage((await params).course);
  return { title: page?.course.title ?? 'Course' };
}

export default async function CoursePage({ params }: Props) {
  const page = coursePage((await params).course);
  if (!page) notFound();
  const { course, steps } = page;
  return (
    <article className="course-page">
      <p className="breadcrumbs">
        <Link href="/">Courses</Link>
      </p>
      <h1>{course.title}</h1>
      <p>{course.description}</p>
      <ProgressBar courseId={course.id} total={steps.total} label={`Your progress in ${course.title}`} />
      <ol className="lesson-list">
        {course.lessons.map((lesson, index) => {
          const total = steps.lessons[index]!.total;
          return (
            <li key={lesson.slug} data-testid={`lesson-${lesson.slug}`}>
              <div className="lesson-row">
                <span className="lesson-number">{lesson.number}</span>
                <div>
                  <h2>
                    <Link href={`/courses/${course.id}/${lesson.slug}`}>{lesson.title}</Link>
                  </h2>
                  <p>{lesson.summary}</p>
                  <p className="muted">About {lesson.duration} minutes</p>
                </div>
              </div>
              <ProgressBar
                courseId={course.id}
                lessonSlug={lesson.slug}
                total={total}
                label={`Your progress in ${lesson.title}`}
              />
            </li>
          );
        })}
      </ol>
    </article>
  );
}
