import { NextResponse } from 'next/server';
import { toResponse } from '@/app/_lib/http.server';
import { authorizedSession, checkStep, notFound, sessionErrorResponse } from '@/app/_lib/sessions.server';

export const dynamic = 'force-dynamic';

/** POST /api/sessions/{id}/steps/{stepId}/check: grade the step now; a failing check is still 200. */
export async function POST(
  request: Request,
  context: { params: Promise<{ id: string; stepId: string }> },
): Promise<Response> {
  const { id, stepId } = await context.params;
  const found = await authorizedSession(request, id);
  if (!found) return notFound();
  try {
    return NextResponse.json(await checkStep(found.session.id, stepId), {
      headers: { 'Cache-Control': 'no-store' },
    });
  } catch (error) {
    return sessionErrorResponse(error) ?? toResponse(error);
  }
}
