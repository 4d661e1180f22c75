/**
 * Choosing a certificate by the name the client asks for (SNI), as hprox does: the entries are tried in
 * command-line order, `*.example.com` matches exactly one label, and a client that sends no name or an
 * unknown one fails the handshake (hprox: "SNI: unspecified", "SNI: unknown hostname").
 */
import fs from 'node:fs';
import tls from 'node:tls';

/** One `-s host:cert:key` value. */
export interface CertificateSpec {
  host: string;
  certFile: string;
  keyFile: string;
}

/** Mozilla's "intermediate" TLS 1.2 suites (forward secret, AEAD); TLS 1.3 suites stay Node's. */
export const TLS12_CIPHERS = [
  'ECDHE-ECDSA-AES128-GCM-SHA256',
  'ECDHE-RSA-AES128-GCM-SHA256',
  'ECDHE-ECDSA-AES256-GCM-SHA384',
  'ECDHE-RSA-AES256-GCM-SHA384',
  'ECDHE-ECDSA-CHACHA20-POLY1305',
  'ECDHE-RSA-CHACHA20-POLY1305',
  'DHE-RSA-AES128-GCM-SHA256',
  'DHE-RSA-AES256-GCM-SHA384',
].join(':');

export function sniPatternMatches(servername: string, pattern: string): boolean {
  const host = servername.toLowerCase();
  const wanted = pattern.toLowerCase();
  if (!wanted.startsWith('*.')) return host === wanted;
  const dot = host.indexOf('.');
  return dot > 0 && host.slice(dot + 1) === wanted.slice(2);
}

/** The first entry whose pattern matches the name, or why there is none. */
export function selectBySni<T extends { host: string }>(
  servername: string | undefined,
  entries: readonly T[],
): T | Error {
  if (!servername) return new Error('SNI: unspecified');
  return (
    entries.find((entry) => sniPatternMatches(servername, entry.host)) ??
    new Error(`SNI: unknown hostname ("${servername}")`)
  );
}

export class CertificateError extends Error {
  override name = 'CertificateError';
}

export interface LoadedCertificate extends CertificateSpec {
  context: tls.SecureContext;
}

/** Reads every certificate and key now, so a wrong path stops start-up instead of a handshake. */
export function loadCertificates(specs: readonly CertificateSpec[]): LoadedCertificate[] {
  return specs.map((spec) => {
    const read = (file: string, what: string): Buffer => {
      try {
        return fs.readFileSync(file);
      } catch (error) {
        throw new CertificateError(
          `cannot read the ${what} ${file} for ${spec.host}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`,
        );
      }
    };
    const cert = read(spec.certFile, 'certificate');
    const key = read(spec.keyFile, 'key');
    try {
      const context = tls.createSecureContext({ cert, key, minVersion: 'TLSv1.2', ciphers: TLS12_CIPHERS });
      return { ...spec, context };
    } catch (error) {
      throw new CertificateError(
        `the certificate ${spec.certFile} and key ${spec.keyFile} for ${spec.host} do not load: ${(error as Error).message}`,
      );
    }
  });
}

/** An SNICallback for tls.Server: the server itself holds no certificate, so no SNI = no handshake. */
export function sniCallback(
  certificates: readonly LoadedCertificate[],
): (servername: string, callback: (error: Error | null, context?: tls.SecureContext) => void) => void {
  return (servername, callback) => {
    const chosen = selectBySni(servername, certificates);
    if (chosen instanceof Error) callback(chosen);
    else callback(null, chosen.context);
  };
}
