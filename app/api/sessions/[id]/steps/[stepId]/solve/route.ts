import { NextResponse } from 'next/server';
import { sessionRoute } from '@/app/_lib/session-route.server';
import { solveStep } from '@/app/_lib/sessions.server';

export const dynamic = 'force-dynamic';

/** POST /api/sessions/{id}/steps/{stepId}/solve: apply the step's reference solution (the learner's "skip"). */
export const POST = sessionRoute<{ id: string; stepId: string }>(async ({ session, params }) => {
  await solveStep(session.id, params.stepId);
  return NextResponse.json({ applied: true });
});
