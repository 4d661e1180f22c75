import { NextResponse } from 'next/server';
import { portsOf } from '@/app/_lib/preview.server';
import { sessionRoute } from '@/app/_lib/session-route.server';

export const dynamic = 'force-dynamic';

/** GET /api/sessions/{id}/ports: `{ ports: [{ port, label, tls, servername, declared, listening }] }`. */
export const GET = sessionRoute(async ({ session }) =>
  NextResponse.json({ ports: await portsOf(session) }, { headers: { 'Cache-Control': 'no-store' } }),
);
