import { NextResponse } from 'next/server';
import { toResponse } from '@/app/_lib/http.server';
import { portsOf } from '@/app/_lib/preview.server';
import { authorizedSession, notFound, sessionErrorResponse } from '@/app/_lib/sessions.server';

export const dynamic = 'force-dynamic';

/** GET /api/sessions/{id}/ports: `{ ports: [{ port, label, tls, servername, declared, listening }] }`. */
export async function GET(request: Request, context: { params: Promise<{ id: string }> }): Promise<Response> {
  const found = await authorizedSession(request, (await context.params).id);
  if (!found) return notFound();
  try {
    return NextResponse.json(
      { ports: await portsOf(found.session) },
      { headers: { 'Cache-Control': 'no-store' } },
    );
  } catch (error) {
    return sessionErrorResponse(error) ?? toResponse(error);
  }
}
