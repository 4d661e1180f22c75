import { fileErrorResponse, fileResponse, saveFileResponse } from '@/app/_lib/files.server';
import { authorizedSession, notFound } from '@/app/_lib/sessions.server';

export const dynamic = 'force-dynamic';

type Context = { params: Promise<{ id: string }> };

/** GET /api/sessions/{id}/files?path=/abs/path: the file, with an ETag; 304 while If-None-Match matches. */
export async function GET(request: Request, context: Context): Promise<Response> {
  const found = await authorizedSession(request, (await context.params).id);
  if (!found) return notFound();
  try {
    return await fileResponse(found.session, request);
  } catch (error) {
    return fileErrorResponse(error);
  }
}

/** PUT /api/sessions/{id}/files?path=/abs/path: writes the text body as the learner; 204 with the new ETag. */
export async function PUT(request: Request, context: Context): Promise<Response> {
  const found = await authorizedSession(request, (await context.params).id);
  if (!found) return notFound();
  try {
    return await saveFileResponse(found.session, request);
  } catch (error) {
    return fileErrorResponse(error);
  }
}
