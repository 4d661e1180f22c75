import { NextResponse } from 'next/server';
import { toResponse } from '@/app/_lib/http.server';
import { forThisRequest } from '@/app/_lib/same-origin.server';
import { authorizedSession, notFound, sessionErrorResponse, stopSession } from '@/app/_lib/sessions.server';

export const dynamic = 'force-dynamic';

type Context = { params: Promise<{ id: string }> };

/** GET /api/sessions/{id}: the session object, for its owner or its token only. */
export async function GET(request: Request, context: Context): Promise<Response> {
  const found = await authorizedSession(request, (await context.params).id);
  if (!found) return notFound();
  return NextResponse.json(forThisRequest(found.view, request), { headers: { 'Cache-Control': 'no-store' } });
}

/** DELETE /api/sessions/{id}: stops it; its containers are gone when this answers. */
export async function DELETE(request: Request, context: Context): Promise<Response> {
  const found = await authorizedSession(request, (await context.params).id);
  if (!found) return notFound();
  try {
    await stopSession(found.session.id);
    return new Response(null, { status: 204 });
  } catch (error) {
    return sessionErrorResponse(error) ?? toResponse(error);
  }
}
