import { NextResponse } from 'next/server';
import { getHealth } from '@/app/_lib/platform.server';
import { errorAnswer } from '@/app/_lib/http.server';

export const dynamic = 'force-dynamic';

/** GET /api/health: 200 when Keiko can run labs, 503 with the same body when it cannot. */
export async function GET(): Promise<NextResponse> {
  try {
    const health = await getHealth();
    return NextResponse.json(health, {
      status: health.ok ? 200 : 503,
      headers: { 'Cache-Control': 'no-store' },
    });
  } catch (error) {
    return errorAnswer(error);
  }
}
