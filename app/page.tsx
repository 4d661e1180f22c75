import Link from 'next/link';
import { ProgressBar } from '@/app/_components/lesson/progress-bar';
import { courseCards } from '@/app/_lib/courses.server';

// Content is data read at run time (KEIKO_CONTENT_DIR), never baked in at build time: rendered on
// request, the same for every learner, and kept rendered by the custom server (PrerenderedPages).
export const dynamic = 'force-dynamic';

export default function CataloguePage() {
  const courses = courseCards();
  return (
    <>
      <section className="hero">
        <h1>Learn by doing, in a real Linux beside every lesson.</h1>
        <p>
          Read a lesson, open a sandbox next to it, type into a real terminal, and have each step checked by
          tools that speak the protocol: <code>curl --http2</code>, <code>openssl s_client</code>, a TLS
          grade.
        </p>
      </section>
      <section aria-labelledby="courses-heading">
        <h2 id="courses-heading">Courses</h2>
        {courses.length === 0 && <p className="muted">No courses yet: add one under content/.</p>}
        <ul className="course-cards">
          {courses.map((course) => (
            <li key={course.id} className="course-card" data-testid={`course-${course.id}`}>
              <h3>
                <Link href={`/courses/${course.id}`}>{course.title}</Link>
              </h3>
              <p>{course.description}</p>
              <p className="muted">
                {course.lessons} lesson{course.lessons === 1 ? '' : 's'}
              </p>
              <ProgressBar
                courseId={course.id}
                total={course.steps}
                label={`Your progress in ${course.title}`}
              />
            </li>
          ))}
        </ul>
      </section>
    </>
  );
}
