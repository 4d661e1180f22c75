import {
  TLS_VERSIONS,
  versionSupport,
  type TlsProbeFacts,
  type TlsVersion,
  type VersionSupport,
} from '../parsers';
import type { HstsFact } from './hsts';
import type { RatingInputs } from './rating';
import type { AcceptedSuite } from './scores';

/**
 * Enough for any real server (OpenSSL's DEFAULT list at security level 0 with an RSA key is about
 * 30 suites for TLS 1.2), and it bounds the run: each handshake is one probe exec.
 */
export const MAX_SUITES_PER_PROTOCOL = 40;

/** Every TLS 1.3 suite OpenSSL knows; Node sends the TLS_* names of `ciphers` as TLS 1.3 suites. */
export const TLS13_SUITES = [
  'TLS_AES_256_GCM_SHA384',
  'TLS_CHACHA20_POLY1305_SHA256',
  'TLS_AES_128_GCM_SHA256',
  'TLS_AES_128_CCM_SHA256',
  'TLS_AES_128_CCM_8_SHA256',
] as const;

/**
 * Everything the client can offer up to TLS 1.2, at security level 0 so that a weak server key or
 * a legacy protocol is measured instead of refused by our own side. PSK and SRP suites need a
 * shared secret no lab server has, so offering them tells nothing.
 */
const LEGACY_OFFER = 'ALL:COMPLEMENTOFALL:!PSK:!SRP';

export interface ProbeTarget {
  host: string;
  port: number;
  servername?: string;
  /** The CA's path inside the probe container. */
  caFile?: string;
  handshakeTimeoutMs: number;
}

/** The tls-probe.mjs arguments for one handshake offering `version` alone and the `ciphers` given. */
export function probeArgs(target: ProbeTarget, version: TlsVersion, ciphers: string): string[] {
  return [
    '--host',
    target.host,
    '--port',
    String(target.port),
    ...(target.servername ? ['--servername', target.servername] : []),
    ...(target.caFile ? ['--ca-file', target.caFile] : []),
    '--timeout-ms',
    String(target.handshakeTimeoutMs),
    '--min-version',
    version,
    '--max-version',
    version,
    '--ciphers',
    ciphers,
  ];
}

/**
 * The next offer when enumerating by elimination: everything not yet accepted, so the server names
 * one more suite it takes or refuses them all. That costs one handshake per accepted suite plus one,
 * instead of one per suite the client knows (about 80). Null when nothing is left to offer.
 */
export function nextOffer(version: TlsVersion, accepted: readonly string[]): string | null {
  if (version === 'TLSv1.3') {
    const left = TLS13_SUITES.filter((name) => !accepted.includes(name));
    return left.length === 0 ? null : left.join(':');
  }
  return [LEGACY_OFFER, ...accepted.map((name) => `!${name}`), '@SECLEVEL=0'].join(':');
}

export interface ProtocolScan {
  version: TlsVersion;
  /** From the first handshake, which offered every suite. */
  support: VersionSupport;
  /** The first successful handshake: its certificate and trust stand for the server's. */
  first: Extract<TlsProbeFacts, { ok: true }> | null;
  suites: AcceptedSuite[];
  handshakes: number;
  /** Why the suite list may be incomplete; null when the server refused everything left. */
  incomplete: string | null;
}

export type RunHandshake = (version: TlsVersion, ciphers: string) => Promise<TlsProbeFacts>;

/** Which suites the server accepts with one protocol version, by elimination. */
export async function scanProtocol(version: TlsVersion, run: RunHandshake): Promise<ProtocolScan> {
  const suites: AcceptedSuite[] = [];
  let support: VersionSupport | undefined;
  let first: ProtocolScan['first'] = null;
  let incomplete: string | null = null;
  let handshakes = 0;
  for (;;) {
    const offer = nextOffer(
      version,
      suites.map((suite) => suite.name),
    );
    if (offer === null) break;
    if (suites.length >= MAX_SUITES_PER_PROTOCOL) {
      incomplete = `stopped after ${MAX_SUITES_PER_PROTOCOL} suites`;
      break;
    }
    const facts = await run(version, offer);
    handshakes += 1;
    support ??= versionSupport(facts, version);
    if (support.verdict !== 'accepted') break;
    if (!facts.ok) {
      // The server's refusal of what is left ends the list; anything else leaves it unfinished.
      if (facts.stage === 'tcp-error' || facts.stage === 'timeout')
        incomplete = `${facts.stage} after ${suites.length} suites`;
      break;
    }
    if (facts.protocol !== version || suites.some((suite) => suite.name === facts.cipher.name)) {
      incomplete = `the server answered ${facts.protocol} ${facts.cipher.name} to an offer without it`;
      break;
    }
    first ??= facts;
    suites.push({ protocol: version, name: facts.cipher.name, ephemeralKey: facts.ephemeralKey });
  }
  return {
    version,
    support: support ?? { verdict: 'inconclusive', reason: 'no handshake was made' },
    first,
    suites,
    handshakes,
    incomplete,
  };
}

/** The rating's inputs from the scans of every version and the HSTS fact; null when no version was accepted. */
export function ratingInputs(scans: readonly ProtocolScan[], hsts: HstsFact): RatingInputs | null {
  const accepted = scans
    .filter((scan) => scan.support.verdict === 'accepted')
    .sort((a, b) => TLS_VERSIONS.indexOf(a.version) - TLS_VERSIONS.indexOf(b.version));
  // The newest protocol's handshake stands for the server's certificate, as a browser would see it.
  const best = accepted.at(-1)?.first;
  if (!best) return null;
  return {
    protocols: accepted.map((scan) => scan.version),
    suites: accepted.flatMap((scan) => scan.suites),
    certificateKey: { type: best.certificate?.keyType ?? null, bits: best.certificate?.bits ?? null },
    trustError: best.authorized ? null : (best.authorizationError ?? 'UNKNOWN_TRUST_ERROR'),
    hsts,
  };
}
