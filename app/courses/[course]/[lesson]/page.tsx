import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { LabProvider } from '@/app/_components/lesson/lab-context';
import { LabPanel } from '@/app/_components/lesson/lab-panel';
import { LessonBody } from '@/app/_components/lesson/lesson-body';
import { lessonPage } from '@/app/_lib/courses.server';

// The same HTML for every learner: the lab panel asks for the learner's steps and running sandbox
// (GET /api/labs/{labId}/record) once the page has loaded. Content is run-time data (KEIKO_CONTENT_DIR),
// so the page is rendered on request, and the custom server keeps it rendered (PrerenderedPages).
export const dynamic = 'force-dynamic';

type Props = { params: Promise<{ course: string; lesson: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { course, lesson } = await params;
  const page = await lessonPage(course, lesson);
  return { title: page?.lesson.title ?? 'Lesson', description: page?.lesson.summary };
}

export default async function LessonPage({ params }: Props) {
  const { course, lesson } = await params;
  const page = await lessonPage(course, lesson);
  if (!page) notFound();
  const text = (
    <article className="lesson-text">
      {page.lab && (
        // The lab panel comes after the whole text in the tab order: one key press away instead.
        <a className="skip-link" href="#lab">
          Skip to the lab
        </a>
      )}
      <p className="breadcrumbs">
        <Link href="/">Courses</Link> › <Link href={`/courses/${page.course.id}`}>{page.course.title}</Link>
      </p>
      <h1>
        <span className="lesson-number">{page.lesson.number}</span> {page.lesson.title}
      </h1>
      <p className="lesson-summary">
        {page.lesson.summary} <span className="muted">About {page.lesson.duration} minutes.</span>
      </p>
      <div className="prose">
        <LessonBody code={page.code} />
      </div>
      <nav className="lesson-nav" aria-label="Lessons">
        {page.previous ? (
          <Link href={`/courses/${page.course.id}/${page.previous.slug}`}>← {page.previous.title}</Link>
        ) : (
          <span />
        )}
        {page.next && <Link href={`/courses/${page.course.id}/${page.next.slug}`}>{page.next.title} →</Link>}
      </nav>
    </article>
  );
  if (!page.lab) {
    return (
      <div className="lesson-layout no-lab">
        {text}
        <aside className="lab-panel">
          <p className="fail">This lesson&apos;s lab ({page.lesson.lab}) is missing; run `npx keiko lint`.</p>
        </aside>
      </div>
    );
  }
  return (
    <LabProvider lab={page.lab} autoStart="if-running">
      <div className="lesson-layout">
        {text}
        <LabPanel />
      </div>
    </LabProvider>
  );
}
