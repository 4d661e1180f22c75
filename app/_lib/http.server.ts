import 'server-only';
import { NextResponse } from 'next/server';
import type { z, ZodError } from 'zod';
import type { ErrorBody } from '@/contract';

/** The error body of the API: `{ error: { code, message } }`, where the message says what to change. */
export function errorResponse(status: number, code: string, message: string): NextResponse {
  return NextResponse.json<ErrorBody>({ error: { code, message } }, { status });
}

interface ErrorAnswer {
  status: number;
  /** The body's code; a function when the error carries it. */
  code: string | ((error: Error) => string);
  /** Extra headers, e.g. Retry-After. */
  headers?: (error: Error) => Record<string, string>;
}

/**
 * Every library error a route can meet, by class name, and the answer it gets: the one place where
 * errors become HTTP. By name, not instanceof: the platform the custom server created throws its own
 * copies of these classes, while a route bundle has others (docs/architecture.md). The message is
 * always the error's own, written for the person who must act on it.
 */
const ERROR_ANSWERS: Record<string, ErrorAnswer> = {
  // Requests that are wrong.
  ZodError: { status: 422, code: 'invalid_request' },
  InvalidLimitsError: { status: 422, code: 'invalid_limits' },
  InvalidPathError: { status: 400, code: 'invalid_path' },
  NotARegularFileError: { status: 400, code: 'not_a_file' },
  NotTextError: { status: 400, code: 'not_text' },
  BodyTooLargeError: { status: 413, code: 'file_too_large' },
  // Things that are not there, or not the caller's.
  LabNotFoundError: { status: 404, code: 'lab_not_found' },
  StepNotFoundError: { status: 404, code: 'step_not_found' },
  SessionNotFoundError: { status: 404, code: 'not_found' },
  FileNotFoundError: { status: 404, code: 'file_not_found' },
  // What the learner's sandbox refuses.
  FilePermissionError: { status: 403, code: 'permission_denied' },
  ReadOnlyPlaceError: { status: 403, code: 'read_only_place' },
  NoSuchFolderError: { status: 409, code: 'no_such_folder' },
  NoConfigTestError: { status: 409, code: 'no_config_test' },
  PreconditionFailedError: {
    status: 412,
    code: (error) => (error as Error & { reason: string }).reason,
  },
  FileTooLargeError: { status: 413, code: 'file_too_large' },
  // Limits and the engine.
  TooManyRequestsError: {
    status: 429,
    code: 'too_many_requests',
    headers: (error) => ({
      'Retry-After': String((error as Error & { retryAfterSeconds?: number }).retryAfterSeconds ?? 60),
    }),
  },
  SessionStartError: { status: 503, code: 'sandbox_unavailable' },
  // The grader itself could not run (its probe agent died or hung): not a verdict, so not a 200.
  GraderUnavailableError: { status: 503, code: 'grader_unavailable' },
  // The session's probe container could not start (the grader's half of the sandbox; it starts in
  // the background once the lab is ready): the same "try again" for the learner.
  ProbeUnavailableError: { status: 503, code: 'grader_unavailable' },
  EngineUnavailableError: { status: 503, code: 'engine_unavailable' },
};

/** The message of a ZodError, each issue at its field. */
function zodMessage(error: ZodError): string {
  return error.issues.map((issue) => `${issue.path.join('.') || 'body'}: ${issue.message}`).join('; ');
}

/** Any thrown value as the API's answer; one that is in no table is a 500, and logged. */
export function errorAnswer(error: unknown): NextResponse {
  const answer = error instanceof Error ? ERROR_ANSWERS[error.name] : undefined;
  if (!answer || !(error instanceof Error)) {
    console.error('keiko: unexpected error in a route handler', error);
    return errorResponse(500, 'internal', 'Keiko hit an unexpected error; the server log has the details.');
  }
  const code = typeof answer.code === 'string' ? answer.code : answer.code(error);
  const message = error.name === 'ZodError' ? zodMessage(error as ZodError) : error.message;
  const response = errorResponse(answer.status, code, message);
  for (const [name, value] of Object.entries(answer.headers?.(error) ?? {}))
    response.headers.set(name, value);
  return response;
}

/**
 * A value checked against the contract on its way out: the browser validates it with the same schema,
 * so a mismatch is this server's bug (a 500, logged), found here rather than as a blank page there.
 */
export function inContract<T>(schema: z.ZodType<T>, value: unknown): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new Error(`an answer does not match contract/: ${parsed.error.message}`);
  return parsed.data;
}
