import { ConfigTestAnswerSchema, type ConfigTestAnswer } from '@/contract';
import { errorOf } from '../api-answer';

/** The browser's side of the files API (docs/api.md): what the editor gets back, each case by name. */

export type LoadResult =
  | { kind: 'text'; text: string; etag: string }
  | { kind: 'unchanged' }
  | { kind: 'absent' }
  | { kind: 'binary' }
  | { kind: 'error'; status: number; code: string; message: string };

export type SaveResult =
  | { kind: 'saved'; etag: string }
  | { kind: 'conflict'; code: string; message: string }
  | { kind: 'error'; status: number; code: string; message: string };

function filesUrl(sessionId: string, filePath: string): string {
  return `/api/sessions/${encodeURIComponent(sessionId)}/files?${new URLSearchParams({ path: filePath })}`;
}

async function errorOfResponse(
  response: Response,
): Promise<{ status: number; code: string; message: string }> {
  return { status: response.status, ...errorOf(response.status, await response.json().catch(() => null)) };
}

const unreachable = (error: unknown) => ({
  kind: 'error' as const,
  status: 0,
  code: 'network',
  message: `The server did not answer (${error instanceof Error ? error.message : String(error)}).`,
});

/** Reads the file; with `etag`, a poll that answers `unchanged` while the file still has that tag. */
export async function loadFile(
  sessionId: string,
  filePath: string,
  options: { etag?: string | null; signal?: AbortSignal } = {},
): Promise<LoadResult> {
  let response: Response;
  try {
    response = await fetch(filesUrl(sessionId, filePath), {
      cache: 'no-store',
      headers: options.etag ? { 'If-None-Match': options.etag } : {},
      signal: options.signal,
    });
  } catch (error) {
    if (options.signal?.aborted) throw error;
    return unreachable(error);
  }
  if (response.status === 304) return { kind: 'unchanged' };
  if (!response.ok) {
    const error = await errorOfResponse(response);
    return error.code === 'file_not_found' ? { kind: 'absent' } : { kind: 'error', ...error };
  }
  const etag = response.headers.get('etag') ?? '';
  if (!/^text\/plain\b/.test(response.headers.get('content-type') ?? '')) {
    await response.body?.cancel();
    return { kind: 'binary' };
  }
  // Not response.text(): it drops a byte-order mark, and saving would then change the file.
  const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(await response.arrayBuffer());
  return { kind: 'text', text, etag };
}

/**
 * Writes the file. `ifMatch` is the tag the editor loaded (a change in the sandbox since then is a
 * conflict); `create` writes only if no file is there yet; neither overwrites whatever is there.
 */
export async function saveFile(
  sessionId: string,
  filePath: string,
  text: string,
  precondition: { ifMatch: string } | { create: true } | { overwrite: true },
): Promise<SaveResult> {
  const headers: Record<string, string> = { 'Content-Type': 'text/plain; charset=utf-8' };
  if ('ifMatch' in precondition) headers['If-Match'] = precondition.ifMatch;
  if ('create' in precondition) headers['If-None-Match'] = '*';
  let response: Response;
  try {
    response = await fetch(filesUrl(sessionId, filePath), { method: 'PUT', body: text, headers });
  } catch (error) {
    return unreachable(error);
  }
  if (response.status === 204) return { kind: 'saved', etag: response.headers.get('etag') ?? '' };
  const error = await errorOfResponse(response);
  if (response.status === 412) return { kind: 'conflict', code: error.code, message: error.message };
  return { kind: 'error', ...error };
}

export type ConfigTestResult =
  | { kind: 'tested'; answer: ConfigTestAnswer }
  | { kind: 'error'; status: number; code: string; message: string };

/** Runs the sandbox's configuration test (apachectl -t) after `filePath` was saved. */
export async function testConfig(
  sessionId: string,
  filePath: string,
  options: { signal?: AbortSignal } = {},
): Promise<ConfigTestResult> {
  let response: Response;
  try {
    response = await fetch(
      `/api/sessions/${encodeURIComponent(sessionId)}/files/config-test?${new URLSearchParams({ path: filePath })}`,
      { method: 'POST', cache: 'no-store', signal: options.signal },
    );
  } catch (error) {
    if (options.signal?.aborted) throw error;
    return unreachable(error);
  }
  if (!response.ok) return { kind: 'error', ...(await errorOfResponse(response)) };
  const parsed = ConfigTestAnswerSchema.safeParse(await response.json().catch(() => null));
  if (!parsed.success) {
    return {
      kind: 'error',
      status: response.status,
      code: 'bad_answer',
      message: 'The server sent a configuration test it did not describe.',
    };
  }
  return { kind: 'tested', answer: parsed.data };
}
