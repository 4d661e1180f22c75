import { parseTlsProbe, type TlsProbeFacts } from '../parsers';
import { probeScript, type CheckContext } from '../sandbox-port';

export const TLS_PROBE = 'tls-probe.mjs';

/** One handshake by the TLS probe script in the probe container (sent on stdin), as facts. */
export async function runTlsProbe(context: CheckContext, args: string[]): Promise<TlsProbeFacts> {
  const result = await context.sandbox.exec(context.sessionId, {
    argv: ['node', '--input-type=module', '-', ...args],
    stdin: probeScript(context, TLS_PROBE),
    in: 'probe',
    timeoutMs: context.timeoutMs,
  });
  return parseTlsProbe(result.stdout);
}
