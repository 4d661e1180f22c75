import { z } from 'zod';
import { describeIssues, excerptOf, readJsonObject, ToolOutputError } from './json-text';

export const TLS_VERSIONS = ['TLSv1', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3'] as const;
export const TlsVersionSchema = z.enum(TLS_VERSIONS);
export type TlsVersion = z.infer<typeof TlsVersionSchema>;

/** What the probe's client really offered, defaults included: a verdict must check it asked the right thing. */
const OfferedSchema = z.object({
  host: z.string(),
  port: z.number().int().min(1).max(65535),
  servername: z.string().nullable().describe('the SNI sent; null when none (an IP is never sent)'),
  alpn: z.array(z.string()).nullable().describe('ALPN protocols offered; null when none'),
  minVersion: TlsVersionSchema,
  maxVersion: TlsVersionSchema,
  ciphers: z
    .string()
    .nullable()
    .describe("OpenSSL cipher string; null means Node's default. The probe adds @SECLEVEL=0 for TLS 1.0/1.1"),
  caFile: z.string().nullable(),
});

const CipherSchema = z.object({
  name: z.string().describe('OpenSSL name, e.g. ECDHE-RSA-AES256-SHA'),
  standardName: z.string().describe('IANA name, e.g. TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA'),
  version: z
    .string()
    .describe('the oldest protocol the cipher belongs to ("TLSv1.0"), not the one negotiated'),
});

const CertificateSchema = z.object({
  subject: z
    .string()
    .describe('one line in certificate order, RFC 2253 escaping: "CN=lab.test, O=Keiko Lab"'),
  issuer: z.string(),
  subjectAltNames: z.array(z.string()).describe('as Node names them: "DNS:lab.test", "IP Address:127.0.0.1"'),
  validFrom: z.string().describe('ISO 8601'),
  validTo: z.string().describe('ISO 8601'),
  bits: z.number().int().positive().nullable(),
  keyType: z.string().nullable().describe('"rsa", "ec", "ed25519", …'),
  fingerprint256: z.string().regex(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/),
  selfSigned: z
    .boolean()
    .describe('issued by its own key; a self-signed certificate caps an SSL Labs grade at T'),
});

const EphemeralKeySchema = z.object({
  type: z.string().describe('"ECDH" or "DH"'),
  name: z.string().optional().describe('the curve, e.g. X25519'),
  size: z.number().int().positive(),
});

const ConnectedSchema = z.object({
  ok: z.literal(true),
  stage: z.literal('connected'),
  error: z.null(),
  protocol: TlsVersionSchema,
  cipher: CipherSchema,
  alpn: z.string().nullable().describe('the protocol the server chose by ALPN; null when it chose none'),
  authorized: z.boolean().describe('the chain is trusted (Node roots, or --ca-file) and names the host'),
  authorizationError: z
    .string()
    .nullable()
    .describe('e.g. DEPTH_ZERO_SELF_SIGNED_CERT, ERR_TLS_CERT_ALTNAME_INVALID'),
  certificate: CertificateSchema.nullable(),
  ephemeralKey: EphemeralKeySchema.nullable(),
  offered: OfferedSchema,
});

/**
 * `refused-by-server`: the server sent a TLS alert or hung up during the handshake.
 * `refused-by-client`: our own side gave up: it could not offer what was asked (OpenSSL's security
 * level, no usable cipher) or rejected the answer (e.g. not TLS at all). It says nothing about the
 * server's policy, so it must never pass a "the server refuses …" check.
 */
export const TLS_FAILURE_STAGES = ['refused-by-server', 'refused-by-client', 'tcp-error', 'timeout'] as const;

const FailedSchema = z.object({
  ok: z.literal(false),
  stage: z.enum(TLS_FAILURE_STAGES),
  error: z.object({ code: z.string(), message: z.string() }),
  protocol: z.null(),
  cipher: z.null(),
  alpn: z.null(),
  authorized: z.null(),
  authorizationError: z.null(),
  certificate: z.null(),
  ephemeralKey: z.null(),
  offered: OfferedSchema,
});

/** The one JSON line grader/probes/tls-probe.mjs prints. */
export const TlsProbeSchema = z.discriminatedUnion('ok', [ConnectedSchema, FailedSchema]);
export type TlsProbeFacts = z.infer<typeof TlsProbeSchema>;
export type TlsProbeStage = TlsProbeFacts['stage'];

/** Thrown when text is not the TLS probe's JSON line: the check could not be decided. */
export class NotTlsProbeJsonError extends ToolOutputError {
  override name = 'NotTlsProbeJsonError';
}

/**
 * The facts of one handshake from the probe's stdout. A refused or failed handshake is still facts
 * (`ok: false` with its `stage`); this throws NotTlsProbeJsonError only when the text is not the
 * probe's JSON (bad arguments print nothing and exit 2; a crash prints a stack trace).
 */
export function parseTlsProbe(stdout: string): TlsProbeFacts {
  const fail = (problem: string): never => {
    throw new NotTlsProbeJsonError(
      `the TLS probe's output is not its JSON line: ${problem}. It begins ${excerptOf(stdout)}`,
      excerptOf(stdout),
    );
  };
  const reading = readJsonObject(stdout);
  if (!reading.ok) return fail(reading.problem);
  const parsed = TlsProbeSchema.safeParse(reading.value);
  if (!parsed.success)
    return fail(`it is a JSON object without the probe's facts (${describeIssues(parsed.error)})`);
  return parsed.data;
}
