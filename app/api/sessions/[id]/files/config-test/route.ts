import { configTestResponse } from '@/app/_lib/files.server';
import { sessionRoute } from '@/app/_lib/session-route.server';

export const dynamic = 'force-dynamic';

/**
 * POST /api/sessions/{id}/files/config-test?path=/abs/path: `apachectl -t` as the learner after the
 * editor saved that Apache configuration file; 200 `{ tool, ok, problem, warnings, output }`.
 */
export const POST = sessionRoute(({ session, request }) => configTestResponse(session, request));
