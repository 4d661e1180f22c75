import { sessionRoute } from '@/app/_lib/session-route.server';
import { stepEventStream } from '@/app/_lib/step-events.server';

export const dynamic = 'force-dynamic';

/**
 * GET /api/sessions/{id}/events: server-sent events, one StepEvent (contract/step-events.ts) a
 * message, for as long as the page keeps it open. While it is open the platform re-checks the first
 * unfinished step when something happens in the lab.
 */
export const GET = sessionRoute(async ({ request, session }) => stepEventStream(session.id, request.signal));
