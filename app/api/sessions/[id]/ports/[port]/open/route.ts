import { NextResponse } from 'next/server';
import { toResponse } from '@/app/_lib/http.server';
import { badPort, OpenPortBodySchema, openPort, parsePort } from '@/app/_lib/preview.server';
import { authorizedSession, notFound, sessionErrorResponse } from '@/app/_lib/sessions.server';

export const dynamic = 'force-dynamic';

/**
 * POST /api/sessions/{id}/ports/{port}/open: for the session's owner (or its token), a short-lived
 * link that opens the port in a new tab, or the loopback address that passes TLS through to it.
 */
export async function POST(
  request: Request,
  context: { params: Promise<{ id: string; port: string }> },
): Promise<Response> {
  const { id, port: portText } = await context.params;
  const found = await authorizedSession(request, id);
  if (!found) return notFound();
  const port = parsePort(portText);
  if (port === undefined) return badPort(portText);
  try {
    const text = await request.text();
    const body = OpenPortBodySchema.parse(text.trim() === '' ? {} : JSON.parse(text));
    const opened = await openPort(found.session, port, body);
    if (opened instanceof Response) return opened;
    return NextResponse.json(opened, { headers: { 'Cache-Control': 'no-store' } });
  } catch (error) {
    if (error instanceof SyntaxError)
      return NextResponse.json(
        { error: { code: 'invalid_request', message: 'the body must be JSON, e.g. {"tls": true}' } },
        { status: 400 },
      );
    return sessionErrorResponse(error) ?? toResponse(error);
  }
}
