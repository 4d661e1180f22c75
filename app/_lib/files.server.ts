import 'server-only';
import fs from 'node:fs';
import path from 'node:path';
import {
  currentPlatform,
  parseLabFilePath,
  readCappedBody,
  readLabFile,
  testApacheConfig,
  writeLabFile,
  type LabFileError,
} from '@/platform';
import type { SandboxSession } from '@/sandbox';
import { errorResponse, toResponse } from './http.server';
import { sessionErrorResponse } from './sessions.server';

// The editor revalidates with If-None-Match itself; a browser or proxy must not answer from a copy.
const NO_STALE_COPIES = { 'Cache-Control': 'private, no-cache' };

/** GET /api/sessions/{id}/files?path=…: the file's bytes with its ETag, or 304 when the tag still matches. */
export async function fileResponse(session: SandboxSession, request: Request): Promise<Response> {
  const filePath = parseLabFilePath(new URL(request.url).searchParams.get('path'));
  const result = await readLabFile(currentPlatform().sandboxes, session, filePath, {
    ifNoneMatch: request.headers.get('if-none-match'),
  });
  if (result.status === 'unchanged') {
    return new Response(null, { status: 304, headers: { ETag: result.etag, ...NO_STALE_COPIES } });
  }
  return new Response(new Uint8Array(result.content), {
    status: 200,
    headers: {
      // Bytes that are not UTF-8 text are still served (a grader may want them), labelled as such,
      // so the editor can refuse to open what it could not save back unchanged.
      'Content-Type': result.text ? 'text/plain; charset=utf-8' : 'application/octet-stream',
      'X-Content-Type-Options': 'nosniff',
      ETag: result.etag,
      ...NO_STALE_COPIES,
    },
  });
}

/** PUT /api/sessions/{id}/files?path=…: writes the text body; 204 with the new ETag. */
export async function saveFileResponse(session: SandboxSession, request: Request): Promise<Response> {
  const filePath = parseLabFilePath(new URL(request.url).searchParams.get('path'));
  const content = await readCappedBody(
    request.body,
    request.headers.get('content-length'),
    session.limits.fileMaxBytes,
  );
  const { etag } = await writeLabFile(currentPlatform().sandboxes, session, filePath, content, {
    ifMatch: request.headers.get('if-match'),
    ifNoneMatch: request.headers.get('if-none-match'),
  });
  return new Response(null, { status: 204, headers: { ETag: etag, 'Cache-Control': 'no-store' } });
}

/**
 * POST /api/sessions/{id}/files/config-test?path=…: `apachectl -t` in the sandbox as the learner,
 * after the editor saved the Apache configuration file at `path`; 200 with its verdict (a failing
 * test is still 200), 409 when the sandbox has no Apache.
 */
export async function configTestResponse(session: SandboxSession, request: Request): Promise<Response> {
  const filePath = parseLabFilePath(new URL(request.url).searchParams.get('path'));
  try {
    const answer = await testApacheConfig(currentPlatform().sandboxes, session, filePath);
    return Response.json(answer, { headers: { 'Cache-Control': 'no-store' } });
  } catch (error) {
    if (error instanceof Error && error.name === 'NoConfigTestError') {
      return errorResponse(409, 'no_config_test', error.message);
    }
    throw error;
  }
}

/** The files API's refusals by name (see docs/architecture.md), then the session errors, then a 500. */
export function fileErrorResponse(error: unknown): Response {
  if (error instanceof Error && error.name === 'LabFileError') {
    const refusal = error as LabFileError;
    return errorResponse(refusal.status, refusal.code, refusal.message);
  }
  return sessionErrorResponse(error) ?? toResponse(error);
}

/**
 * The file the lab's editor opens first: its first starter file in the workdir (where the lab's
 * starter files are copied), or a new notes.txt there.
 */
export function defaultEditorFile(lab: { dir: string; workdir?: string }): string {
  const workdir = lab.workdir ?? '/home/learner';
  const starter = path.join(lab.dir, 'starter');
  const first = fs.existsSync(starter)
    ? fs
        .readdirSync(starter, { recursive: true, encoding: 'utf8' })
        .filter((name) => fs.statSync(path.join(starter, name)).isFile())
        .map((name) => name.split(path.sep).join('/'))
        .sort()[0]
    : undefined;
  return path.posix.join(workdir, first ?? 'notes.txt');
}
