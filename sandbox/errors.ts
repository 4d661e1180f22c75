/** Base class of every infrastructure failure the sandbox library reports. */
export class SandboxError extends Error {
  override name = 'SandboxError';
}

/** Thrown when the Docker engine cannot be reached; the message says how to start one. */
export class EngineUnavailableError extends SandboxError {
  override name = 'EngineUnavailableError';
}

/** Thrown when a base or lab image cannot be pulled, bootstrapped or built. */
export class ImageBuildError extends SandboxError {
  override name = 'ImageBuildError';
}

export function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Thrown when a session id names no live session (or one the caller may not see). */
export class SessionNotFoundError extends SandboxError {
  override name = 'SessionNotFoundError';
}

/** Thrown when a sandbox could not be made ready; the session is marked failed and removed. */
export class SessionStartError extends SandboxError {
  override name = 'SessionStartError';
}

/** Thrown when a file asked for through the files API does not exist in the sandbox. */
export class FileNotFoundError extends SandboxError {
  override name = 'FileNotFoundError';
}

/** Thrown when a file is larger than the files API moves. */
export class FileTooLargeError extends SandboxError {
  override name = 'FileTooLargeError';
}

/** Thrown when a path names a folder, a symbolic link or a device rather than a regular file. */
export class NotARegularFileError extends SandboxError {
  override name = 'NotARegularFileError';
}

/**
 * Thrown when a limit of the platform refuses a request for now (HTTP 429): the message names the
 * limit, and `retryAfterSeconds` says when trying again can succeed.
 */
export class TooManyRequestsError extends SandboxError {
  override name = 'TooManyRequestsError';
  constructor(
    message: string,
    readonly limit: string,
    readonly retryAfterSeconds: number,
  ) {
    super(message);
  }
}

/** Thrown when the learner's own permissions do not let them read or write a file. */
export class FilePermissionError extends SandboxError {
  override name = 'FilePermissionError';
}

/** Thrown when a file lies in a read-only part of the sandbox (its root file system). */
export class ReadOnlyPlaceError extends SandboxError {
  override name = 'ReadOnlyPlaceError';
}

/** Thrown when a path given for a learner's file is not one (relative, `..`, NUL, a folder's). */
export class InvalidPathError extends SandboxError {
  override name = 'InvalidPathError';
}

/** Thrown when content to write as a text file is not UTF-8 text (or has NUL bytes). */
export class NotTextError extends SandboxError {
  override name = 'NotTextError';
}

/** Thrown when a file would be created in a folder that does not exist (or is not a folder). */
export class NoSuchFolderError extends SandboxError {
  override name = 'NoSuchFolderError';
}

/**
 * Thrown when a conditional write finds the file not as the writer last saw it: `file_exists` (asked
 * to create a file that is there) or `changed_in_sandbox` (it changed or went since it was read).
 */
export class PreconditionFailedError extends SandboxError {
  override name = 'PreconditionFailedError';
  constructor(
    message: string,
    readonly reason: 'file_exists' | 'changed_in_sandbox',
  ) {
    super(message);
  }
}

/** Thrown when resource limits asked for are outside what the platform allows. */
export class InvalidLimitsError extends SandboxError {
  override name = 'InvalidLimitsError';
}

/**
 * Thrown when something that needs a session's probe container (a grading, a port of the preview, a
 * probe exec) finds that it could not start, or did not within its deadline. The probe starts in the
 * background once the lab is ready, so this is the grader being unavailable, not the learner's fault:
 * the session is ended as failed, and the API answers 503.
 */
export class ProbeUnavailableError extends SandboxError {
  override name = 'ProbeUnavailableError';
}
