import { NextResponse } from 'next/server';
import { labRecord } from '@/app/_lib/courses.server';
import { errorAnswer, errorResponse } from '@/app/_lib/http.server';

export const dynamic = 'force-dynamic';

/** GET /api/labs/{labId}/record: this learner's steps of the lab and whether their sandbox runs. */
export async function GET(
  _request: Request,
  context: { params: Promise<{ labId: string }> },
): Promise<Response> {
  const { labId } = await context.params;
  try {
    const record = await labRecord(labId);
    if (!record) return errorResponse(404, 'not_found', `There is no lab ${labId}.`);
    // The learner's own: never kept by a cache.
    return NextResponse.json(record, { headers: { 'Cache-Control': 'private, no-store' } });
  } catch (error) {
    return errorAnswer(error);
  }
}
