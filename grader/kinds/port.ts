import { z } from 'zod';
import { bindScope, parseListeningSockets } from '../parsers';
import type { Failure } from '../failure';
import type { CheckResult } from '../result';
import type { CheckContext } from '../sandbox-port';
import { defineCheckKind } from './kind';

export const PortCheckSchema = z
  .object({
    port: z.number().int().min(1).max(65_535),
    /** `all`: every address of the sandbox (0.0.0.0 or ::); `loopback`: 127.0.0.1 or ::1 only. */
    on: z.enum(['all', 'loopback']).optional(),
    uid: z.number().int().optional(),
  })
  .strict();
export type PortCheck = z.infer<typeof PortCheckSchema>;

/**
 * A listening socket, read by the probe from the kernel's TCP tables of the namespace it shares with
 * the lab: which address it is bound to decides whether the server is reachable beyond loopback.
 */
export async function runPortCheck(
  check: PortCheck,
  name: string,
  context: CheckContext,
): Promise<CheckResult> {
  const result = await context.sandbox.exec(context.sessionId, {
    argv: ['sh', '-c', 'cat /proc/net/tcp; echo ---; cat /proc/net/tcp6'],
    in: 'probe',
    timeoutMs: context.timeoutMs,
  });
  const sockets = parseListeningSockets(result.stdout).filter((socket) => socket.port === check.port);
  const evidence = sockets.length
    ? sockets
        .map((s) => `listening on ${s.family === 6 ? `[${s.address}]` : s.address}:${s.port} (uid ${s.uid})`)
        .join('\n')
    : `nothing listens on port ${check.port}`;
  const command = `ss -ltn 'sport = :${check.port}'`;
  const fits = sockets.filter(
    (socket) =>
      (check.on === undefined || bindScope(socket) === check.on) &&
      (check.uid === undefined || socket.uid === check.uid),
  );
  if (fits.length > 0) return { name, passed: true, message: `${name}: yes.`, command, evidence };
  let failure: Failure = 'refused';
  let message = `${name}: nothing listens on port ${check.port} yet.`;
  if (sockets.length > 0 && check.on && !sockets.some((socket) => bindScope(socket) === check.on)) {
    failure = 'port-scope';
    message =
      check.on === 'all'
        ? `${name}: the server listens on ${sockets[0]!.address} only; bind it to 0.0.0.0 to reach it from every address of the sandbox.`
        : `${name}: the server listens on every address; bind it to 127.0.0.1 so only the proxy in front of it can reach it.`;
  } else if (sockets.length > 0) {
    failure = 'port-owner';
    message = `${name}: port ${check.port} belongs to uid ${sockets[0]!.uid}, not ${check.uid}.`;
  }
  return { name, passed: false, message, command, evidence, failure };
}

export const portKind = defineCheckKind({
  key: 'port',
  summary: "a listening TCP socket read from the kernel's tables: port, address, user",
  schema: PortCheckSchema,
  defaultName: (check) => `something listens on port ${check.port}`,
  run: runPortCheck,
});
