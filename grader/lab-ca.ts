import path from 'node:path';
import { LAB_CA_PROBE_DIR } from './lab-ca-file';
import { describeError, SessionStartError, type ExecInSessionOptions, type ExecResult } from '@/sandbox';

/** What installing a lab CA needs of a session: the session manager provides it. */
/** A lab's CA as lab.yaml declares it (course/'s LabCa): the certificate's names and where it goes. */
export interface LabCaSpec {
  names: readonly string[];
  certDir: string;
}

export interface LabCaSandbox {
  exec(sessionId: string, options: ExecInSessionOptions): Promise<ExecResult>;
  writeFile(sessionId: string, path: string, content: Buffer, mode?: number): Promise<void>;
}

/** The files the lab gets in `certDir`. */
export const LAB_CA_FILES = { cert: 'cert.pem', key: 'key.pem', ca: 'ca.pem' } as const;

const MARK = '-----KEIKO-LAB-CA-SPLIT-----';

/**
 * Run by `sh` in the probe, as the probe's user, in its private /tmp: a fresh CA (EC P-256, valid a
 * week), a leaf key (RSA 2048, the most common server key, which the SSL Labs key-exchange table
 * scores 90) and its certificate for the names, valid 30 days. It prints the leaf certificate, the
 * leaf key and the CA certificate, then deletes both private keys: only ca.pem stays, for the grader.
 * $1 is the folder, $2 the CN, $3 the subjectAltName value.
 */
export const LAB_CA_SCRIPT = `set -eu
umask 077
dir="$1"; cn="$2"; san="$3"
rm -rf "$dir"; mkdir -p "$dir"; cd "$dir"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 7 \\
  -subj "/O=Keiko lab CA/CN=Keiko lab CA for this session" \\
  -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" \\
  -keyout ca.key -out ca.pem 2>/dev/null
openssl req -new -newkey rsa:2048 -nodes -subj "/CN=$cn" -keyout leaf.key -out leaf.csr 2>/dev/null
printf '%s\\n' "subjectAltName=$san" "basicConstraints=critical,CA:FALSE" \\
  "keyUsage=critical,digitalSignature,keyEncipherment" "extendedKeyUsage=serverAuth" > leaf.ext
openssl x509 -req -in leaf.csr -CA ca.pem -CAkey ca.key -set_serial "0x$(openssl rand -hex 16)" \\
  -days 30 -sha256 -extfile leaf.ext -out leaf.pem 2>/dev/null
cat leaf.pem; echo '${MARK}'; cat leaf.key; echo '${MARK}'; cat ca.pem
rm -f ca.key leaf.key leaf.csr leaf.ext leaf.pem
chmod 644 ca.pem
`;

/** The three PEM blocks the script prints, in order; throws when the output is not that. */
export function splitLabCaOutput(stdout: string): { cert: string; key: string; ca: string } {
  const parts = stdout.split(`${MARK}\n`);
  const [cert, key, ca] = parts;
  if (
    parts.length !== 3 ||
    !cert?.includes('-----BEGIN CERTIFICATE-----') ||
    !key?.includes('PRIVATE KEY-----') ||
    !ca?.includes('-----BEGIN CERTIFICATE-----')
  )
    throw new Error('the lab CA script did not print a certificate, a key and a CA certificate');
  return { cert, key, ca };
}

/**
 * Gives a new session its own CA: made in the probe (whose files the learner cannot reach), the CA
 * certificate kept there for the `tls-grade` check to trust, and a certificate and key for the lab's
 * names written into the lab with the CA's certificate. Called once per session, so a reset (a new
 * session) gets a new CA.
 */
export async function installLabCa(sandbox: LabCaSandbox, sessionId: string, spec: LabCaSpec): Promise<void> {
  const san = spec.names.map((name) => `DNS:${name}`).join(',');
  const made = await sandbox.exec(sessionId, {
    argv: ['sh', '-c', LAB_CA_SCRIPT, 'lab-ca', LAB_CA_PROBE_DIR, spec.names[0]!, san],
    in: 'probe',
    timeoutMs: 30_000,
  });
  if (made.exitCode !== 0)
    throw new Error(
      `the lab CA could not be made (exit ${made.exitCode}): ${made.stderr.trim().slice(-300)}`,
    );
  const { cert, key, ca } = splitLabCaOutput(made.stdout);
  const created = await sandbox.exec(sessionId, { argv: ['mkdir', '-p', spec.certDir], timeoutMs: 10_000 });
  if (created.exitCode !== 0)
    throw new Error(`could not make ${spec.certDir} in the lab: ${created.stderr.trim()}`);
  const file = (name: string) => path.posix.join(spec.certDir, name);
  await sandbox.writeFile(sessionId, file(LAB_CA_FILES.cert), Buffer.from(cert), 0o644);
  await sandbox.writeFile(sessionId, file(LAB_CA_FILES.key), Buffer.from(key), 0o600);
  await sandbox.writeFile(sessionId, file(LAB_CA_FILES.ca), Buffer.from(ca), 0o644);
}

/** installLabCa for a session just started: when it fails, the session ends and the start fails. */
export async function installLabCaOrEnd(
  manager: LabCaSandbox & { stop(id: string, reason?: string): Promise<void> },
  sessionId: string,
  spec: LabCaSpec,
): Promise<void> {
  try {
    await installLabCa(manager, sessionId, spec);
  } catch (error) {
    await manager.stop(sessionId, 'its lab CA could not be made').catch(() => undefined);
    throw new SessionStartError(`the lab could not be prepared: ${describeError(error)}`);
  }
}
