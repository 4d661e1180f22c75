export { Store, DATABASE_FILE_NAME, dataDirExposure, type StoreStatus } from './store';
export { StoreError } from './errors';
export { MIGRATIONS, type Migration } from './migrations';
export {
  SessionRepository,
  type SessionRow,
  type SessionStatus,
  type HolderRow,
  type HolderKind,
} from './sessions';
export { ProgressRepository, type StepProgress } from './progress';
