export { parseEnv, EnvError, EnvSchema, type Env } from './env';
export {
  createPlatform,
  currentPlatform,
  installPlatform,
  projectPaths,
  type Platform,
  type ProjectPaths,
} from './platform';
export { healthReport, HealthSchema, type Health } from './health';
