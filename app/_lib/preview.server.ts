import 'server-only';
import { z } from 'zod';
import type { OpenedPort, PortView } from '@/contract';
import { currentPlatform } from '@/platform';
import type { SandboxSession } from '@/sandbox';
import { errorResponse } from './http.server';

/** `GET /api/sessions/{id}/ports`: the lab's declared ports and what listens now. */
export async function portsOf(session: SandboxSession): Promise<PortView[]> {
  const platform = currentPlatform();
  const lab = platform.learnerLabs.lab(session.labId);
  return platform.preview.ports(session, lab?.ports ?? []);
}

export const OpenPortBodySchema = z
  .object({
    /** Pass TLS through instead of relaying HTTP; by default what the lab says of the port. */
    tls: z.boolean().optional(),
  })
  .strict();

/** The port as a path segment: a whole number from 1 to 65535, or undefined. */
export function parsePort(text: string): number | undefined {
  if (!/^\d{1,5}$/.test(text)) return undefined;
  const port = Number(text);
  return port >= 1 && port <= 65_535 ? port : undefined;
}

export function badPort(text: string): Response {
  return errorResponse(
    400,
    'bad_port',
    `"${text.slice(0, 20)}" is not a port: use a whole number from 1 to 65535 (a port inside your sandbox).`,
  );
}

/** Whether browsers reach this install on the same machine (TLS passthrough listens on loopback). */
function servesLoopback(publicUrl: string): boolean {
  const host = new URL(publicUrl).hostname;
  return host === 'localhost' || host === '[::1]' || host.startsWith('127.') || host.endsWith('.localhost');
}

/**
 * `POST /api/sessions/{id}/ports/{port}/open`: a one-minute signed link to the port's preview origin,
 * or, for TLS, the loopback port that passes the browser's connection through to the learner's server.
 */
export async function openPort(
  session: SandboxSession,
  port: number,
  body: z.infer<typeof OpenPortBodySchema>,
): Promise<OpenedPort | Response> {
  const platform = currentPlatform();
  const declared = platform.learnerLabs.lab(session.labId)?.ports.find((p) => p.port === port);
  const tls = body.tls ?? declared?.tls ?? false;
  if (!tls) {
    const url = platform.preview.link(session, port);
    return { kind: 'http', port, url, origin: new URL(url).origin };
  }
  if (!servesLoopback(platform.env.publicUrl))
    return errorResponse(
      409,
      'tls_passthrough_local_only',
      'TLS passthrough listens on this machine’s loopback only; open the port over HTTP, or run Keiko locally.',
    );
  const { listenPort } = await platform.preview.openTls(session, port);
  const servername = declared?.servername ?? null;
  return {
    kind: 'tls',
    port,
    listenPort,
    servername,
    url: `https://${servername ?? 'localhost'}:${listenPort}/`,
  };
}
