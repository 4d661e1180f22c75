import 'server-only';
import { NextResponse } from 'next/server';
import type { ZodError } from 'zod';

/** The error body of API.md: `{ error: { code, message } }`, where the message says what to change. */
export function errorResponse(status: number, code: string, message: string): NextResponse {
  return NextResponse.json({ error: { code, message } }, { status });
}

/** Maps a thrown error to an HTTP answer, once, at the edge; unexpected ones are logged. */
export function toResponse(error: unknown): NextResponse {
  // By name: a ZodError thrown by the platform's module graph is not this bundle's ZodError class.
  if (error instanceof Error && error.name === 'ZodError') {
    const zodError = error as ZodError;
    const message = zodError.issues
      .map((issue) => `${issue.path.join('.') || 'body'}: ${issue.message}`)
      .join('; ');
    return errorResponse(422, 'invalid_request', message);
  }
  console.error('keiko: unexpected error in a route handler', error);
  return errorResponse(500, 'internal', 'Keiko hit an unexpected error; the server log has the details.');
}
