import { NextResponse } from 'next/server';
import { learnerProgress } from '@/app/_lib/courses.server';
import { errorAnswer } from '@/app/_lib/http.server';

export const dynamic = 'force-dynamic';

/** GET /api/progress: this learner's steps passed in every course and in each of its lessons. */
export async function GET(): Promise<Response> {
  try {
    return NextResponse.json(await learnerProgress(), { headers: { 'Cache-Control': 'private, no-store' } });
  } catch (error) {
    return errorAnswer(error);
  }
}
