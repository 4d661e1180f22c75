import 'server-only';
import fs from 'node:fs';
import path from 'node:path';
import { testApacheConfig } from '@/grader';
import { currentPlatform } from '@/platform';
import { parseLearnerPath, readLearnerFile, writeLearnerFile, type SandboxSession } from '@/sandbox';
import { contentCondition, etagOf } from './entity-tags';
import { readCappedBody } from './request-body';

// The editor revalidates with If-None-Match itself; a browser or proxy must not answer from a copy.
const NO_STALE_COPIES = { 'Cache-Control': 'private, no-cache' };

/** GET /api/sessions/{id}/files?path=…: the file's bytes with its ETag, or 304 when the tag still matches. */
export async function fileResponse(session: SandboxSession, request: Request): Promise<Response> {
  const filePath = parseLearnerPath(new URL(request.url).searchParams.get('path'));
  const result = await readLearnerFile(currentPlatform().sandboxes, session, filePath, {
    unlessContent: contentCondition(request.headers.get('if-none-match'), 'weak'),
  });
  if (result.status === 'unchanged') {
    return new Response(null, { status: 304, headers: { ETag: etagOf(result.sha256), ...NO_STALE_COPIES } });
  }
  return new Response(new Uint8Array(result.content), {
    status: 200,
    headers: {
      // Bytes that are not UTF-8 text are still served (a grader may want them), labelled as such,
      // so the editor can refuse to open what it could not save back unchanged.
      'Content-Type': result.text ? 'text/plain; charset=utf-8' : 'application/octet-stream',
      'X-Content-Type-Options': 'nosniff',
      ETag: etagOf(result.sha256),
      ...NO_STALE_COPIES,
    },
  });
}

/** PUT /api/sessions/{id}/files?path=…: writes the text body; 204 with the new ETag. */
export async function saveFileResponse(session: SandboxSession, request: Request): Promise<Response> {
  const filePath = parseLearnerPath(new URL(request.url).searchParams.get('path'));
  const content = await readCappedBody(
    request.body,
    request.headers.get('content-length'),
    session.limits.fileMaxBytes,
  );
  const { sha256 } = await writeLearnerFile(currentPlatform().sandboxes, session, filePath, content, {
    ifContent: contentCondition(request.headers.get('if-match'), 'strong'),
    unlessContent: contentCondition(request.headers.get('if-none-match'), 'weak'),
  });
  // A saved file may finish the step the learner is on: the open page re-checks it.
  currentPlatform().liveSteps.nudge(session.id, 'file');
  return new Response(null, { status: 204, headers: { ETag: etagOf(sha256), 'Cache-Control': 'no-store' } });
}

/**
 * POST /api/sessions/{id}/files/config-test?path=…: `apachectl -t` in the sandbox as the learner,
 * after the editor saved the Apache configuration file at `path`; 200 with its verdict (a failing
 * test is still 200), 409 when the sandbox has no Apache.
 */
export async function configTestResponse(session: SandboxSession, request: Request): Promise<Response> {
  const filePath = parseLearnerPath(new URL(request.url).searchParams.get('path'));
  const answer = await testApacheConfig(currentPlatform().sandboxes, session, filePath);
  return Response.json(answer, { headers: { 'Cache-Control': 'no-store' } });
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
