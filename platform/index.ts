export { parseEnv, EnvError, EnvSchema, type Env } from './env';
export {
  createPlatform,
  currentPlatform,
  installPlatform,
  projectPaths,
  readProbeScripts,
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
  type SessionObject,
  type StepView,
  type Caller,
} from './learner-labs';
export { TerminalGateway, ClientMessageSchema } from './terminal-gateway';
export { readLabFile, writeLabFile, readCappedBody, parseLabFilePath, LabFileError } from './lab-files';
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
  testApacheConfig,
  ConfigTestAnswerSchema,
  NoConfigTestError,
  type ConfigTestAnswer,
} from './config-test';
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
export { installLabCa, LAB_CA_FILES } from './lab-ca';
