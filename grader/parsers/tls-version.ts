import type { TlsProbeFacts, TlsVersion } from './tls-probe';

export interface VersionSupport {
  verdict: 'accepted' | 'refused' | 'inconclusive';
  /** One sentence for a learner or a log. */
  reason: string;
}

/**
 * Whether the server accepts one protocol version, judged from a probe run that offered only it.
 * "refused" needs the server's own refusal: when our client could not offer the version (OpenSSL 3
 * will not do TLS 1.0/1.1 at its default security level) the answer is "inconclusive", so a
 * "the server refuses TLS 1.0" check can never pass because of the client.
 */
export function versionSupport(facts: TlsProbeFacts, version: TlsVersion): VersionSupport {
  const { minVersion, maxVersion } = facts.offered;
  if (minVersion !== version || maxVersion !== version) {
    return {
      verdict: 'inconclusive',
      reason: `the probe offered ${minVersion} to ${maxVersion}, not ${version} alone`,
    };
  }
  if (facts.ok) {
    return facts.protocol === version
      ? { verdict: 'accepted', reason: `the server completed a ${version} handshake (${facts.cipher.name})` }
      : { verdict: 'inconclusive', reason: `offered only ${version}, yet ${facts.protocol} was negotiated` };
  }
  switch (facts.stage) {
    case 'refused-by-server':
      return { verdict: 'refused', reason: `the server refused ${version} (${facts.error.code})` };
    case 'refused-by-client':
      return {
        verdict: 'inconclusive',
        reason: `our own client ended the handshake, so the server's answer is unknown (${facts.error.code})`,
      };
    case 'tcp-error':
    case 'timeout':
      return {
        verdict: 'inconclusive',
        reason: `no TLS server answered (${facts.stage}: ${facts.error.code})`,
      };
  }
}
