import { NextResponse } from 'next/server';
import { toResponse } from '@/app/_lib/http.server';
import { authorizedSession, notFound, sessionErrorResponse, solveStep } from '@/app/_lib/sessions.server';

export const dynamic = 'force-dynamic';

/** POST /api/sessions/{id}/steps/{stepId}/solve: apply the step's reference solution (the learner's "skip"). */
export async function POST(
  request: Request,
  context: { params: Promise<{ id: string; stepId: string }> },
): Promise<Response> {
  const { id, stepId } = await context.params;
  const found = await authorizedSession(request, id);
  if (!found) return notFound();
  try {
    await solveStep(found.session.id, stepId);
    return NextResponse.json({ applied: true });
  } catch (error) {
    return sessionErrorResponse(error) ?? toResponse(error);
  }
}
