import { NextResponse } from 'next/server';
import { forThisRequest } from '@/app/_lib/same-origin.server';
import { sessionRoute } from '@/app/_lib/session-route.server';
import { stopSession } from '@/app/_lib/sessions.server';

export const dynamic = 'force-dynamic';

/** GET /api/sessions/{id}: the session object, for its owner or its token only. */
export const GET = sessionRoute(async ({ request, view }) =>
  NextResponse.json(forThisRequest(view, request), { headers: { 'Cache-Control': 'no-store' } }),
);

/** DELETE /api/sessions/{id}: stops it; its containers are gone when this answers. */
export const DELETE = sessionRoute(async ({ session }) => {
  await stopSession(session.id);
  return new Response(null, { status: 204 });
});
