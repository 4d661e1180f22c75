import { NextResponse } from 'next/server';
import { errorAnswer } from '@/app/_lib/http.server';
import { forThisRequest } from '@/app/_lib/same-origin.server';
import { startOrResumeSession } from '@/app/_lib/sessions.server';

export const dynamic = 'force-dynamic';

/** POST /api/labs/{labId}/sessions: 201 with a new session once it is ready, 200 with the live one. */
export async function POST(
  request: Request,
  context: { params: Promise<{ labId: string }> },
): Promise<Response> {
  const { labId } = await context.params;
  try {
    const { session, created } = await startOrResumeSession(labId);
    return NextResponse.json(forThisRequest(session, request), {
      status: created ? 201 : 200,
      headers: { 'Cache-Control': 'no-store' },
    });
  } catch (error) {
    return errorAnswer(error);
  }
}
