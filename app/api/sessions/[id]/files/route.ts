import { fileResponse, saveFileResponse } from '@/app/_lib/files.server';
import { sessionRoute } from '@/app/_lib/session-route.server';

export const dynamic = 'force-dynamic';

/** GET /api/sessions/{id}/files?path=/abs/path: the file, with an ETag; 304 while If-None-Match matches. */
export const GET = sessionRoute(({ session, request }) => fileResponse(session, request));

/** PUT /api/sessions/{id}/files?path=/abs/path: writes the text body as the learner; 204 with the new ETag. */
export const PUT = sessionRoute(({ session, request }) => saveFileResponse(session, request));
