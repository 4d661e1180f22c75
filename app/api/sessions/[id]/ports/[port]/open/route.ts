import { NextResponse } from 'next/server';
import { errorResponse } from '@/app/_lib/http.server';
import { badPort, OpenPortBodySchema, openPort, parsePort } from '@/app/_lib/preview.server';
import { sessionRoute } from '@/app/_lib/session-route.server';

export const dynamic = 'force-dynamic';

/**
 * POST /api/sessions/{id}/ports/{port}/open: for the session's owner (or its token), a short-lived
 * link that opens the port in a new tab, or the loopback address that passes TLS through to it.
 */
export const POST = sessionRoute<{ id: string; port: string }>(async ({ request, params, session }) => {
  const port = parsePort(params.port);
  if (port === undefined) return badPort(params.port);
  const text = await request.text();
  let json: unknown;
  try {
    json = text.trim() === '' ? {} : JSON.parse(text);
  } catch {
    return errorResponse(400, 'invalid_request', 'the body must be JSON, e.g. {"tls": true}');
  }
  const opened = await openPort(session, port, OpenPortBodySchema.parse(json));
  if (opened instanceof Response) return opened;
  return NextResponse.json(opened, { headers: { 'Cache-Control': 'no-store' } });
});
