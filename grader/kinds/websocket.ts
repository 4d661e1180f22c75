import { z } from 'zod';
import { parseWsProbe } from '../parsers';
import { websocketFailure } from '../failure';
import { clip, type CheckResult } from '../result';
import { probeScript, type CheckContext } from '../sandbox-port';
import { shellQuote } from '../shell-quote';
import { Resolve } from './http';
import { defineCheckKind } from './kind';

export const WebSocketCheckSchema = z
  .object({
    url: z.string().regex(/^wss?:\/\/[^\s/]+(\/\S*)?$/, 'a ws:// or wss:// URL'),
    /** `host:port:address`: connect to the address, sending the host as SNI and Host. */
    resolve: Resolve.optional(),
    insecure: z.boolean().default(false),
    /** The text message the grader sends once the connection is open. */
    send: z.string().min(1).max(4096).default('keiko says hello'),
    expect: z
      .object({
        /** The first message back is exactly what was sent. */
        echo: z.boolean().optional(),
        contains: z.string().optional(),
      })
      .strict()
      .default({ echo: true }),
  })
  .strict();
export type WebSocketCheck = z.infer<typeof WebSocketCheckSchema>;

/** The handshake a learner can watch with curl: a 101 answer means the upgrade went through. */
const WS_PROBE = 'ws-probe.mjs';

function learnerCommand(check: WebSocketCheck): string {
  const url = new URL(check.url);
  url.protocol = url.protocol === 'wss:' ? 'https:' : 'http:';
  return shellQuote([
    'curl',
    '-sS',
    '-i',
    '--http1.1',
    '-N',
    '--max-time',
    '3',
    ...(check.insecure ? ['-k'] : []),
    ...(check.resolve ? ['--resolve', check.resolve] : []),
    '-H',
    'Connection: Upgrade',
    '-H',
    'Upgrade: websocket',
    '-H',
    'Sec-WebSocket-Version: 13',
    '-H',
    'Sec-WebSocket-Key: a2Vpa28ta2Vpa28ta2Vpaw==',
    url.href,
  ]);
}

/** One WebSocket opened from the probe (Node 18 has no client: the probe speaks RFC 6455 itself). */
export async function runWebSocketCheck(
  check: WebSocketCheck,
  name: string,
  context: CheckContext,
): Promise<CheckResult> {
  const connectTo = check.resolve?.split(':').slice(2).join(':');
  const result = await context.sandbox.exec(context.sessionId, {
    argv: [
      'node',
      '--input-type=module',
      '-',
      '--url',
      check.url,
      '--message',
      check.send,
      '--timeout-ms',
      String(Math.max(100, context.timeoutMs - 1000)),
      ...(connectTo ? ['--connect-to', connectTo] : []),
      ...(check.insecure ? ['--insecure'] : []),
    ],
    stdin: probeScript(context, WS_PROBE),
    in: 'probe',
    timeoutMs: context.timeoutMs,
  });
  const facts = parseWsProbe(result.stdout);
  const command = learnerCommand(check);
  const evidence = clip(
    [
      facts.statusLine ?? `no answer: ${facts.error ?? 'unknown error'}`,
      ...Object.entries(facts.headers).map(([header, value]) => `${header}: ${value}`),
      facts.tls ? `(TLS ${facts.tls.protocol ?? '?'}, ALPN ${facts.tls.alpn ?? 'none'})` : '',
      `sent: ${JSON.stringify(check.send)}`,
      facts.received !== null ? `received: ${JSON.stringify(facts.received)}` : '',
    ]
      .filter(Boolean)
      .join('\n'),
  );
  if (!facts.ok) {
    return {
      name,
      passed: false,
      message: `${name}: ${facts.error ?? 'no message came back'}.`,
      command,
      evidence,
      failure: websocketFailure(facts),
    };
  }
  const problems: string[] = [];
  const received = facts.received ?? '';
  if (check.expect.echo && received !== check.send)
    problems.push(`the answer ${JSON.stringify(received.slice(0, 80))} is not the message sent`);
  if (check.expect.contains !== undefined && !received.includes(check.expect.contains))
    problems.push(`the answer does not contain "${check.expect.contains}"`);
  return {
    name,
    passed: problems.length === 0,
    message:
      problems.length === 0
        ? `${name}: the WebSocket answered ${JSON.stringify(received.slice(0, 80))}.`
        : `${name}: ${problems.join('; ')}.`,
    command,
    evidence,
    failure: problems.length === 0 ? undefined : 'websocket',
  };
}

export const websocketKind = defineCheckKind({
  key: 'websocket',
  summary: "a WebSocket handshake and one message echoed back, by the probe's own client",
  schema: WebSocketCheckSchema,
  defaultName: (check) => `WebSocket ${check.url}`,
  run: runWebSocketCheck,
  probeScripts: [WS_PROBE],
});
