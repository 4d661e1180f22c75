import { z } from 'zod';
import { versionSupport } from '../parsers';
import { tlsFailure, type Failure } from '../failure';
import { clip, type CheckResult } from '../result';
import type { CheckContext } from '../sandbox-port';
import { shellQuote } from '../shell-quote';
import { runTlsProbe, TLS_PROBE } from './run-tls-probe';
import { defineCheckKind } from './kind';

export const TlsCheckSchema = z
  .object({
    host: z.string().default('127.0.0.1'),
    port: z.number().int().min(1).max(65_535),
    servername: z.string().optional(),
    alpn: z.array(z.string()).optional(),
    expect: z
      .object({
        minVersion: z.enum(['TLSv1.2', 'TLSv1.3']).optional(),
        alpn: z.string().nullable().optional(),
        subjectCN: z.string().optional(),
        san: z.string().optional(),
        /** The server must refuse a client that offers only this old protocol. */
        refuses: z.enum(['TLSv1', 'TLSv1.1']).optional(),
      })
      .strict(),
  })
  .strict();
export type TlsCheck = z.infer<typeof TlsCheckSchema>;

const MODERN = ['TLSv1.2', 'TLSv1.3'];

/** A TLS handshake from the probe's Node, deciding from what Node's tls module negotiated. */
export async function runTlsCheck(
  check: TlsCheck,
  name: string,
  context: CheckContext,
): Promise<CheckResult> {
  const target = [
    '--host',
    check.host,
    '--port',
    String(check.port),
    ...(check.servername ? ['--servername', check.servername] : []),
  ];
  const learnerCommand = (extra: string[]) =>
    `${shellQuote(['openssl', 's_client', '-connect', `${check.host}:${check.port}`, ...(check.servername ? ['-servername', check.servername] : []), ...extra, '-brief'])} </dev/null`;
  const expect = check.expect;

  if (expect.refuses) {
    const flag = expect.refuses === 'TLSv1' ? '-tls1' : '-tls1_1';
    const facts = await runTlsProbe(context, [
      ...target,
      '--min-version',
      expect.refuses,
      '--max-version',
      expect.refuses,
    ]);
    const command = learnerCommand([flag, '-cipher', 'DEFAULT@SECLEVEL=0']);
    const evidence = clip(JSON.stringify(facts, null, 2));
    // Only the server's own refusal passes: our client failing to offer the version proves nothing.
    const support = versionSupport(facts, expect.refuses);
    const message =
      support.verdict === 'refused'
        ? `${name}: the server refuses ${expect.refuses}.`
        : support.verdict === 'accepted'
          ? `${name}: the server still accepts ${expect.refuses}.`
          : `${name}: could not tell whether the server refuses ${expect.refuses}: ${support.reason}.`;
    const failure =
      support.verdict === 'refused'
        ? undefined
        : support.verdict === 'accepted'
          ? 'tls-version'
          : tlsFailure(facts);
    return { name, passed: support.verdict === 'refused', message, command, evidence, failure };
  }

  const facts = await runTlsProbe(context, [
    ...target,
    ...(check.alpn ? ['--alpn', check.alpn.join(',')] : []),
  ]);
  const command = learnerCommand(check.alpn ? ['-alpn', check.alpn.join(',')] : []);
  const evidence = clip(JSON.stringify(facts, null, 2));
  if (!facts.ok)
    return {
      name,
      passed: false,
      message: `${name}: no TLS handshake (${facts.stage}: ${facts.error?.message ?? 'no detail'}).`,
      command,
      evidence,
      failure: tlsFailure(facts),
    };
  const problems: string[] = [];
  const failures: Failure[] = [];
  if (expect.minVersion && !MODERN.slice(MODERN.indexOf(expect.minVersion)).includes(facts.protocol ?? '')) {
    problems.push(`it negotiated ${facts.protocol}, older than ${expect.minVersion}`);
    failures.push('tls-version');
  }
  if (expect.alpn !== undefined && (facts.alpn ?? null) !== expect.alpn) {
    problems.push(`ALPN chose ${facts.alpn || 'nothing'}, not ${expect.alpn ?? 'nothing'}`);
    failures.push('alpn');
  }
  const subject = facts.certificate?.subject ?? '';
  if (
    expect.subjectCN !== undefined &&
    !new RegExp(`(^|[,/\\s])CN=${expect.subjectCN.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}($|[,/\\s])`).test(
      subject,
    )
  ) {
    problems.push(`the certificate is for "${subject}", not CN=${expect.subjectCN}`);
    failures.push('cert-name');
  }
  if (
    expect.san !== undefined &&
    !(facts.certificate?.subjectAltNames ?? []).some((san) => san.endsWith(expect.san!))
  ) {
    problems.push(`the certificate has no subjectAltName ${expect.san}`);
    failures.push('cert-name');
  }
  return {
    name,
    passed: problems.length === 0,
    message:
      problems.length === 0
        ? `${name}: ${facts.protocol}${facts.alpn ? `, ALPN ${facts.alpn}` : ''}, as expected.`
        : `${name}: ${problems.join('; ')}.`,
    command,
    evidence,
    failure: failures[0],
  };
}

export const tlsKind = defineCheckKind({
  key: 'tls',
  summary: 'a TLS handshake by the probe: protocol versions, ALPN, certificate names',
  schema: TlsCheckSchema,
  defaultName: (check) => `TLS on port ${check.port}`,
  run: runTlsCheck,
  probeScripts: [TLS_PROBE],
});
