import 'server-only';
import type { SessionObject } from '@/contract';
import type { SandboxSession } from '@/sandbox';
import { errorAnswer } from './http.server';
import { authorizedSession, notFound } from './sessions.server';

export interface SessionRequest<Params> {
  request: Request;
  params: Params;
  /** The live session, which the caller owns or holds the token of. */
  session: SandboxSession;
  /** The session as the API shows it. */
  view: SessionObject;
}

/**
 * A route under /api/sessions/{id}: authorizes the caller for the session (404 when they may not see
 * it, the same answer as for no session at all), runs the handler, and turns anything it throws into
 * the API's error answer.
 */
export function sessionRoute<Params extends { id: string }>(
  handler: (call: SessionRequest<Params>) => Promise<Response>,
): (request: Request, context: { params: Promise<Params> }) => Promise<Response> {
  return async (request, context) => {
    try {
      const params = await context.params;
      const found = await authorizedSession(request, params.id);
      if (!found) return notFound();
      return await handler({ request, params, session: found.session, view: found.view });
    } catch (error) {
      return errorAnswer(error);
    }
  };
}
