import { z } from 'zod';
import { randomUUID } from 'node:crypto';
import { isIP } from 'node:net';
import { describeError } from '@/sandbox';
import { TLS_VERSIONS } from '../parsers';
import { clip, type CheckResult } from '../result';
import type { CheckContext } from '../sandbox-port';
import { shellQuote } from '../shell-quote';
import { LAB_CA_PROBE_FILE } from '../lab-ca-file';
import { runTlsProbe, TLS_PROBE } from './run-tls-probe';
import {
  meetsGrade,
  parseHsts,
  probeArgs,
  rate,
  ratingEvidence,
  ratingInputs,
  ratingMessage,
  ratingReport,
  scanProtocol,
  TLS_GRADES,
  type HstsFact,
  type ProbeTarget,
} from '../tls-grade';
import { defineCheckKind } from './kind';

export const TlsGradeCheckSchema = z
  .object({
    host: z.string().default('127.0.0.1'),
    port: z.number().int().min(1).max(65_535),
    servername: z.string().optional(),
    /** A CA certificate in the lab (PEM) that the grader trusts: the lab's own CA, so A+ is reachable. */
    caFile: z.string().startsWith('/').optional(),
    expect: z.object({ minGrade: z.enum(TLS_GRADES) }).strict(),
  })
  .strict();
export type TlsGradeCheck = z.infer<typeof TlsGradeCheckSchema>;

/** Evidence holds the score table, the caps and the suite lists: more than one tool's output. */
const EVIDENCE_CHARS = 3000;

const bracketed = (host: string) => (isIP(host) === 6 ? `[${host}]` : host);

function httpsRequest(check: TlsGradeCheck) {
  const name = check.servername ?? check.host;
  const resolve =
    check.servername && check.servername !== check.host
      ? ['--resolve', `${check.servername}:${check.port}:${bracketed(check.host)}`]
      : [];
  return { resolve, url: `https://${bracketed(name)}:${check.port}/` };
}

/** What the learner can paste into the lab terminal to see the handshake and the HSTS header. */
function learnerCommand(check: TlsGradeCheck): string {
  const { resolve, url } = httpsRequest(check);
  const handshake = `${shellQuote([
    'openssl',
    's_client',
    '-connect',
    `${bracketed(check.host)}:${check.port}`,
    ...(check.servername ? ['-servername', check.servername] : []),
    ...(check.caFile ? ['-CAfile', check.caFile] : []),
    '-brief',
  ])} </dev/null`;
  const headers = shellQuote([
    'curl',
    '-sI',
    ...(check.caFile ? ['--cacert', check.caFile] : ['-k']),
    ...resolve,
    url,
  ]);
  return `${handshake}; ${headers}`;
}

async function fetchHsts(check: TlsGradeCheck, context: CheckContext): Promise<HstsFact> {
  const { resolve, url } = httpsRequest(check);
  const seconds = Math.max(1, Math.floor(context.timeoutMs / 1000) - 1);
  // -k: the header is a fact of the response whoever signed the certificate; trust is rated apart,
  // from the probe's own verification, so an untrusted chain must not also hide the HSTS finding.
  const result = await context.sandbox.exec(context.sessionId, {
    argv: [
      'curl',
      '-q',
      '-s',
      '-k',
      '-o',
      '/dev/null',
      '-D',
      '-',
      '--max-time',
      String(seconds),
      ...resolve,
      url,
    ],
    in: 'probe',
    timeoutMs: context.timeoutMs,
  });
  if (result.exitCode !== 0) return { state: 'unknown', reason: `curl exit code ${result.exitCode}` };
  return parseHsts(result.stdout);
}

/** Copies the lab's CA into the probe, whose own filesystem the probe's tools read. */
async function copyCaToProbe(context: CheckContext, caFile: string): Promise<string> {
  const ca = await context.sandbox.readFile(context.sessionId, caFile);
  const path = `/tmp/keiko-ca-${randomUUID()}.pem`;
  const result = await context.sandbox.exec(context.sessionId, {
    argv: ['sh', '-c', 'cat > "$1"', 'sh', path],
    stdin: ca,
    in: 'probe',
    timeoutMs: context.timeoutMs,
  });
  if (result.exitCode !== 0)
    throw new Error(`could not write the CA into the probe: ${result.stderr.trim()}`);
  return path;
}

/** The lab CA's certificate in the probe, when the session has one. */
async function labCaInProbe(context: CheckContext): Promise<string | undefined> {
  const found = await context.sandbox.exec(context.sessionId, {
    argv: ['test', '-s', LAB_CA_PROBE_FILE],
    in: 'probe',
    timeoutMs: context.timeoutMs,
  });
  return found.exitCode === 0 ? LAB_CA_PROBE_FILE : undefined;
}

/**
 * The SSL Labs-method grade of a TLS server, from probe handshakes that offer one protocol version
 * at a time and enumerate its suites, plus one HTTPS request for HSTS. Every handshake is one exec
 * in the probe, so the learner's files and tools cannot touch the verdict.
 */
export async function runTlsGradeCheck(
  check: TlsGradeCheck,
  name: string,
  context: CheckContext,
): Promise<CheckResult> {
  const command = learnerCommand(check);
  let caPath: string | undefined;
  // The session's lab CA (grader/lab-ca.ts) is trusted from the probe's own copy.
  const labCa = check.caFile ? undefined : await labCaInProbe(context);
  if (check.caFile) {
    try {
      caPath = await copyCaToProbe(context, check.caFile);
    } catch (error) {
      return {
        name,
        passed: false,
        message: `${name}: the CA certificate ${check.caFile} could not be read (${describeError(error)}).`,
        command: shellQuote(['openssl', 'x509', '-noout', '-subject', '-in', check.caFile]),
        evidence: describeError(error),
      };
    }
  }
  try {
    const target: ProbeTarget = {
      host: check.host,
      port: check.port,
      ...(check.servername ? { servername: check.servername } : {}),
      ...(caPath ? { caFile: caPath } : labCa ? { caFile: labCa } : {}),
      handshakeTimeoutMs: Math.min(5000, Math.max(1000, context.timeoutMs - 2000)),
    };
    const [scans, hsts] = await Promise.all([
      Promise.all(
        TLS_VERSIONS.map((version) =>
          scanProtocol(version, (v, ciphers) => runTlsProbe(context, probeArgs(target, v, ciphers))),
        ),
      ),
      fetchHsts(check, context),
    ]);
    const inputs = ratingInputs(scans, hsts);
    if (!inputs) {
      const reasons = scans.map(
        (scan) => `${scan.version}: ${scan.support.verdict} (${scan.support.reason})`,
      );
      return {
        name,
        passed: false,
        message: `${name}: no TLS version completed a handshake, so there is nothing to grade (${scans.at(-1)?.support.reason ?? 'no probe ran'}).`,
        command,
        evidence: clip(reasons.join('\n')),
        failure: 'tls-handshake',
      };
    }
    const rating = rate(inputs);
    const passed = meetsGrade(rating.grade, check.expect.minGrade);
    return {
      name,
      passed,
      message: ratingMessage(name, rating, check.expect.minGrade, passed),
      command,
      evidence: clip(ratingEvidence(rating, scans, hsts), EVIDENCE_CHARS),
      tlsGrade: ratingReport(rating, scans, hsts, check.expect.minGrade),
      failure: passed ? undefined : 'tls-grade',
    };
  } finally {
    if (caPath) {
      await context.sandbox
        .exec(context.sessionId, { argv: ['rm', '-f', caPath], in: 'probe', timeoutMs: context.timeoutMs })
        .catch(() => undefined);
    }
  }
}

export const tlsGradeKind = defineCheckKind({
  key: 'tls-grade',
  summary: "an SSL Labs-style grade of a TLS server from the probe's own handshakes",
  schema: TlsGradeCheckSchema,
  defaultName: (check) => `TLS grade of port ${check.port}`,
  run: runTlsGradeCheck,
  probeScripts: [TLS_PROBE],
});
