import 'server-only';
import { SessionObjectSchema, type SessionObject } from '@/contract';
import { currentPlatform, requestOrigin, serverNames } from '@/platform';
import { inContract } from './http.server';

/**
 * The session object as the page that asked for it can use it: its `terminalUrl` names the origin the
 * request came to (already checked against this server's names by `keiko serve`), so a browser that
 * opened http://127.0.0.1:3000 is not sent to ws://localhost:3000, another origin to it.
 */
export function forThisRequest(session: SessionObject, request: Request): SessionObject {
  const { env } = currentPlatform();
  const names = serverNames({ publicUrl: env.publicUrl, bindHost: env.KEIKO_HOST, port: env.KEIKO_PORT });
  const origin = requestOrigin(names, request.headers.get('host') ?? undefined);
  const url = new URL(session.terminalUrl);
  const target = new URL(origin);
  url.protocol = target.protocol === 'https:' ? 'wss:' : 'ws:';
  url.host = target.host;
  return inContract(SessionObjectSchema, { ...session, terminalUrl: url.toString() });
}
