export { parseEnv, EnvError, EnvSchema, type Env } from './env';
export {
  createPlatform,
  currentPlatform,
  installPlatform,
  projectPaths,
  readProbeScripts,
  processEnv,
  type Platform,
  type ProjectPaths,
} from './platform';
export { healthReport, HealthSchema, type Health } from './health';
export {
  LabSessions,
  LabNotFoundError,
  StepNotFoundError,
  type SessionObject,
  type StepView,
  type Caller,
} from './lab-sessions';
export { TerminalGateway, ClientMessageSchema } from './terminal-gateway';
export { readLabFile, writeLabFile, readCappedBody, parseLabFilePath, LabFileError } from './lab-files';
export {
  LEARNER_COOKIE,
  newLearnerId,
  learnerCookieValue,
  verifyLearnerCookie,
  sessionToken,
  readCookie,
} from './identity';
export { CourseCatalog, lessonCacheDir, type CourseProgress, type LessonProgress } from './course-catalog';
export { ContentWatcher } from './content-watcher';
export { installLabCa, LAB_CA_FILES } from './lab-ca';
