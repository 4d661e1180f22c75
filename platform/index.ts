export { parseEnv, EnvError, EnvSchema, type Env } from './env';
export {
  createPlatform,
  currentPlatform,
  installPlatform,
  projectPaths,
  readProbeScripts,
  type Platform,
  type ProjectPaths,
} from './platform';
export { healthReport, HealthSchema, type Health } from './health';
export {
  LabSessions,
  LabNotFoundError,
  StepNotFoundError,
  type SessionObject,
  type Caller,
} from './lab-sessions';
export { TerminalGateway, ClientMessageSchema } from './terminal-gateway';
export {
  LEARNER_COOKIE,
  newLearnerId,
  learnerCookieValue,
  verifyLearnerCookie,
  sessionToken,
  readCookie,
} from './identity';
