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
