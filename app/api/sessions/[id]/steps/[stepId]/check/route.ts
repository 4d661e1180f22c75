import { NextResponse } from 'next/server';
import { sessionRoute } from '@/app/_lib/session-route.server';
import { checkStep } from '@/app/_lib/sessions.server';

export const dynamic = 'force-dynamic';

/** POST /api/sessions/{id}/steps/{stepId}/check: grade the step now; a failing check is still 200. */
export const POST = sessionRoute<{ id: string; stepId: string }>(async ({ session, params }) =>
  NextResponse.json(await checkStep(session.id, params.stepId), { headers: { 'Cache-Control': 'no-store' } }),
);
