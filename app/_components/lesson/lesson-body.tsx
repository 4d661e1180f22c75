import { getMDXComponent } from 'mdx-bundler/client';
import { Callout, CodeBlock, FileRef, Hint, Run, Step } from './mdx-components';

/**
 * Every component a lesson may use (course/lint.ts checks lessons against the same names). Built
 * here, on the server, from the client components one by one: each is a reference the browser
 * hydrates, where an object exported from a client module would not be readable on the server.
 */
const lessonComponents = { Callout, Run, Step, Hint, FileRef, pre: CodeBlock };

/** A compiled lesson rendered on the server: only its interactive components run in the browser. */
export function LessonBody({ code }: { code: string }) {
  const Content = getMDXComponent(code);
  return <Content components={lessonComponents} />;
}
