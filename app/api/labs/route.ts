import { NextResponse } from 'next/server';
import { errorAnswer } from '@/app/_lib/http.server';
import { labList } from '@/app/_lib/sessions.server';

export const dynamic = 'force-dynamic';

/** GET /api/labs: every lab with its steps. */
export function GET(): NextResponse {
  try {
    return NextResponse.json(labList());
  } catch (error) {
    return errorAnswer(error);
  }
}
