import { configTestResponse, fileErrorResponse } from '@/app/_lib/files.server';
import { authorizedSession, notFound } from '@/app/_lib/sessions.server';

export const dynamic = 'force-dynamic';

type Context = { params: Promise<{ id: string }> };

/**
 * POST /api/sessions/{id}/files/config-test?path=/abs/path: `apachectl -t` as the learner after the
 * editor saved that Apache configuration file; 200 `{ tool, ok, problem, warnings, output }`.
 */
export async function POST(request: Request, context: Context): Promise<Response> {
  const found = await authorizedSession(request, (await context.params).id);
  if (!found) return notFound();
  try {
    return await configTestResponse(found.session, request);
  } catch (error) {
    return fileErrorResponse(error);
  }
}
