/**
 * The sandbox library: containers for learners' labs on a container engine. It knows Docker (through
 * `runtime/docker/` only) and nothing of Next.js, React or the store.
 */
export { SandboxError, EngineUnavailableError, ImageBuildError, describeError } from './errors';
export type { ContainerRuntime, EngineInfo, ImageInfo, RunOnceResult } from './runtime/runtime';
export { DockerRuntime } from './runtime/docker/docker-runtime';
export {
  readImageCatalog,
  labImageTag,
  parseFromImages,
  type ImageCatalog,
  type LabImageSpec,
} from './images/catalog';
export { ensureBaseImage, bootstrappableSuite, type BaseImageOutcome } from './images/base-image';
export {
  prepareImages,
  ensureLabImage,
  imageStatuses,
  CONTEXT_HASH_LABEL,
  type ImageStatus,
  type LabImageOutcome,
  type PrepareImagesResult,
} from './images/lab-images';
export type { ImageProgress, OnImageProgress } from './images/progress';
export { MemoryRuntime } from './runtime/memory/memory-runtime';
export { listContextFiles } from './images/context-hash';
export { bundleOutputs } from './images/bundles';
export {
  SessionNotFoundError,
  SessionStartError,
  FileNotFoundError,
  FileTooLargeError,
  NotARegularFileError,
  TooManyRequestsError,
  FilePermissionError,
  ReadOnlyPlaceError,
  InvalidPathError,
  NotTextError,
  NoSuchFolderError,
  PreconditionFailedError,
  InvalidLimitsError,
  ProbeUnavailableError,
} from './errors';
export {
  LearnerPathSchema,
  parseLearnerPath,
  readLearnerFile,
  writeLearnerFile,
  isText,
  type ContentCondition,
  type LearnerFilesPort,
  type ReadLearnerFileResult,
} from './session/learner-file-access';
export {
  SandboxLimitsSchema,
  LimitOverridesSchema,
  DEFAULT_LIMITS,
  LIMIT_CAPS,
  resolveLimits,
  defaultPlatformLimits,
  PlatformLimitsSchema,
  type PlatformLimits,
  type SandboxLimits,
  type LimitOverrides,
} from './limits';
export type { ExecResult, ExecStream, ProcessInfo, PtyHandle } from './runtime/runtime';
export {
  SessionManager,
  DEFAULT_ORPHAN_GRACE_MS,
  newSessionId,
  type SandboxSession,
  type StartSessionOptions,
  type ExecInSessionOptions,
} from './session/session-manager';
export { WarmPool } from './session/warm-pool';
export { RateWindow, StartAdmission } from './session/admission';
export {
  MemoryRegistry,
  HOLDER_KINDS,
  type HolderKind,
  type HolderRecord,
  type SessionRecord,
  type SessionRegistry,
  type SessionStatus,
} from './session/registry';
export { LABELS, WRITABLE_PATHS_LABEL, DEFAULT_INSTANCE, instanceOf } from './session/labels';
export { LEARNER } from './session/hardening';
export { PortUnreachableError, isRelayablePort, FORWARDER_SOURCE } from './session/port-stream';
export {
  ShellHub,
  DEFAULT_SHELL_HUB_OPTIONS,
  type TerminalSink,
  type AttachedTerminal,
  type ShellHubOptions,
} from './terminal/shell-hub';
