import 'server-only';
import { cookies, headers } from 'next/headers';
import { StepResultSchema, type SessionObject } from '@/contract';
import {
  CLIENT_ADDRESS_HEADER,
  currentPlatform,
  learnerCookieName,
  learnerCookieValue,
  learnerFromCookies,
  newLearnerId,
} from '@/platform';
import { SessionNotFoundError } from '@/sandbox';
import { defaultEditorFile } from './files.server';
import { errorResponse, inContract } from './http.server';

/** The learner of this request by their signed cookie, or undefined on a first visit. */
export async function currentLearnerId(): Promise<string | undefined> {
  const platform = currentPlatform();
  const jar = await cookies();
  return learnerFromCookies(platform.store.serverSecret, (name) => jar.get(name)?.value);
}

/** The learner of this request, given an identity (and its cookie) when they have none yet. */
export async function requireLearnerId(): Promise<string> {
  const existing = await currentLearnerId();
  if (existing) return existing;
  const id = newLearnerId();
  const { publicUrl } = currentPlatform().env;
  const secure = publicUrl.startsWith('https:');
  // `__Host-keiko_learner` on https; the plain name (still read) on http, where the prefix cannot be set.
  (await cookies()).set(
    learnerCookieName(publicUrl),
    learnerCookieValue(currentPlatform().store.serverSecret, id),
    {
      httpOnly: true,
      sameSite: 'lax',
      secure,
      path: '/',
      maxAge: 60 * 60 * 24 * 365, // a year: progress is tied to it
    },
  );
  return id;
}

/** `GET /api/labs`: every lab, with the course and lesson it belongs to (null for a lab of no lesson). */
export function labList() {
  const platform = currentPlatform();
  return platform.learnerLabs.labs().map((lab) => {
    const place = platform.courses.placeOfLab(lab.id);
    return {
      id: lab.id,
      title: lab.title,
      course: place?.course ?? null,
      lesson: place?.lesson ?? null,
      steps: lab.steps.map((step) => ({ id: step.id, title: step.title })),
    };
  });
}

/** A lab with its steps and this learner's record, for the lab page. */
export async function labForPage(labId: string) {
  const { learnerLabs } = currentPlatform();
  const lab = learnerLabs.lab(labId);
  if (!lab) return undefined;
  return {
    id: lab.id,
    title: lab.title,
    steps: learnerLabs.stepsFor(lab, await currentLearnerId()),
    defaultFile: defaultEditorFile(lab),
  };
}

export async function startOrResumeSession(
  labId: string,
): Promise<{ session: SessionObject; created: boolean }> {
  const address = (await headers()).get(CLIENT_ADDRESS_HEADER) || undefined;
  return currentPlatform().learnerLabs.startOrResume(labId, await requireLearnerId(), address);
}

function bearer(request: Request): string | undefined {
  const header = request.headers.get('authorization') ?? '';
  return /^Bearer\s+(\S+)$/i.exec(header)?.[1];
}

/** The session when the caller owns it or holds its token; undefined answers 404. */
export async function authorizedSession(request: Request, sessionId: string) {
  const platform = currentPlatform();
  const session = platform.learnerLabs.authorize(sessionId, {
    learnerId: await currentLearnerId(),
    token: bearer(request),
  });
  return session ? { session, view: platform.learnerLabs.view(session) } : undefined;
}

export async function stopSession(sessionId: string): Promise<void> {
  await currentPlatform().sandboxes.stop(sessionId, 'stopped through the API');
}

export function notFound(): Response {
  return errorResponse(404, 'not_found', 'No such session, or it is not yours.');
}

export async function checkStep(sessionId: string, stepId: string) {
  const platform = currentPlatform();
  const session = platform.sandboxes.get(sessionId);
  if (!session) throw new SessionNotFoundError(`no live session ${sessionId}`);
  return inContract(StepResultSchema, await platform.learnerLabs.checkStep(session, stepId));
}

export async function solveStep(sessionId: string, stepId: string): Promise<void> {
  const platform = currentPlatform();
  const session = platform.sandboxes.get(sessionId);
  if (!session) throw new SessionNotFoundError(`no live session ${sessionId}`);
  await platform.learnerLabs.solveStep(session, stepId);
}
