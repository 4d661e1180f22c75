export { ContentError } from './errors';
export {
  loadLabs,
  parseLabDefinition,
  LabDefinitionSchema,
  LabCaSchema,
  LabPortSchema,
  type LabPort,
  type LabCa,
  type LabDefinition,
  type LabStep,
} from './lab-definition';
export {
  CourseFileSchema,
  LessonFrontmatterSchema,
  loadCourses,
  readContent,
  readLesson,
  type Course,
  type Lesson,
  type LessonFrontmatter,
} from './content';
export { lintContent, LESSON_COMPONENTS, type LintReport } from './lint';
export { readLabs } from './lab-definition';
export { compileLesson, type CompiledLesson, type ComponentUse } from './lesson-mdx';
