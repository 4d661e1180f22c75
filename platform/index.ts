export { parseEnv, EnvError, EnvSchema, type Env } from './env';
export {
  createPlatform,
  currentPlatform,
  installPlatform,
  projectPaths,
  processEnv,
  platformLimits,
  type Platform,
  type ProjectPaths,
} from './platform';
export { healthReport, HealthSchema, type Health } from './health';
export {
  LearnerLabs,
  CLIENT_ADDRESS_HEADER,
  LabNotFoundError,
  StepNotFoundError,
  type Caller,
} from './learner-labs';
export { TerminalGateway } from './terminal-gateway';
export {
  LEARNER_COOKIE,
  SECURE_LEARNER_COOKIE,
  learnerCookieName,
  learnerFromCookies,
  newLearnerId,
  learnerCookieValue,
  verifyLearnerCookie,
  sessionToken,
  readCookie,
} from './identity';
export { CourseCatalog, lessonCacheDir, type CourseProgress, type LessonProgress } from './course-catalog';
export { ContentWatcher } from './content-watcher';
export {
  coursePagePaths,
  isCoursePage,
  loopbackRender,
  PrerenderedPages,
  RENDER_HEADER,
  type PageResponse,
  type RenderedPage,
} from './prerendered-pages';
export {
  serverNames,
  isOwnHost,
  isOwnOrigin,
  crossSiteRefusal,
  requestOrigin,
  listensOnLoopback,
  type ServerNames,
} from './server-names';
export {
  hostRefusal,
  requestRefusal,
  targetRefusal,
  sendRefusal,
  refuseSocket,
  stripInternalHeaders,
  INTERNAL_HEADERS,
  type Refusal,
} from './http-boundary';
export { LiveSteps, DEFAULT_LIVE_STEPS, type LiveStepsOptions } from './live-steps';
export {
  PreviewService,
  PREVIEW_COOKIE,
  TooManyRelaysError,
  parsePreviewHost,
  previewDomain,
  previewOrigin,
  signGrant,
} from './preview';
