export { Store, DATABASE_FILE_NAME, DATA_DIR_MODE, dataDirExposure, type StoreStatus } from './store';
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
