import { suiteTraits } from './ciphers';

/** SSL 2.0 and 3.0 are rated for completeness; the probe's OpenSSL 3 cannot offer them. */
export const PROTOCOLS = ['SSLv2', 'SSLv3', 'TLSv1', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3'] as const;
export type Protocol = (typeof PROTOCOLS)[number];

const PROTOCOL_POINTS: Record<Protocol, number> = {
  SSLv2: 0,
  SSLv3: 80,
  TLSv1: 90,
  'TLSv1.1': 95,
  'TLSv1.2': 100,
  'TLSv1.3': 100,
};

export const PROTOCOL_LABELS: Record<Protocol, string> = {
  SSLv2: 'SSL 2.0',
  SSLv3: 'SSL 3.0',
  TLSv1: 'TLS 1.0',
  'TLSv1.1': 'TLS 1.1',
  'TLSv1.2': 'TLS 1.2',
  'TLSv1.3': 'TLS 1.3',
};

export interface EphemeralKey {
  /** "ECDH" or "DH", as Node's getEphemeralKeyInfo() names it. */
  type: string;
  name?: string;
  size: number;
}

export interface AcceptedSuite {
  protocol: Protocol;
  /** OpenSSL name, or the IANA name for TLS 1.3. */
  name: string;
  ephemeralKey: EphemeralKey | null;
}

export interface CertificateKey {
  /** Node's asymmetricKeyType: "rsa", "rsa-pss", "ec", "ed25519", …; null when unknown. */
  type: string | null;
  bits: number | null;
}

export interface CategoryScore {
  /** 0–100. */
  score: number;
  /** What decided it, for the learner: "TLS 1.0 to TLS 1.3". */
  detail: string;
}

/** Integer halves and weights, as testssl's run_rating() computes them, so scores agree to the point. */
const mean = (best: number, worst: number) => Math.floor((best + worst) / 2);

export function protocolScore(protocols: readonly Protocol[]): CategoryScore {
  const offered = PROTOCOLS.filter((p) => protocols.includes(p));
  const best = offered.at(-1);
  const worst = offered[0];
  if (best === undefined || worst === undefined) return { score: 0, detail: 'no protocol offered' };
  return {
    score: mean(PROTOCOL_POINTS[best], PROTOCOL_POINTS[worst]),
    detail: offered.map((p) => PROTOCOL_LABELS[p]).join(', '),
  };
}

/** RSA, DSA and finite-field DH keys. */
function integerFactoringPoints(bits: number): number {
  if (bits < 512) return 20;
  if (bits < 1024) return 40;
  if (bits < 2048) return 80;
  if (bits < 4096) return 90;
  return 100;
}

/** Elliptic curves, by testssl's mapping of EC sizes onto the RSA table (P-256 and X25519 score 100). */
function ellipticPoints(bits: number): number {
  if (bits < 110) return 20;
  if (bits < 123) return 40;
  if (bits < 163) return 80;
  if (bits < 225) return 90;
  return 100;
}

interface KeyRating {
  points: number;
  label: string;
}

function certificateKeyRating(key: CertificateKey): KeyRating | null {
  if (key.type === null) return null;
  if (key.type === 'ed25519' || key.type === 'ed448') return { points: 100, label: key.type };
  if (key.bits === null) return null;
  return key.type === 'ec'
    ? { points: ellipticPoints(key.bits), label: `EC ${key.bits} bits` }
    : { points: integerFactoringPoints(key.bits), label: `${key.type.toUpperCase()} ${key.bits} bits` };
}

function ephemeralKeyRating(key: EphemeralKey): KeyRating {
  const label = `${key.type}${key.name ? ` ${key.name}` : ''} ${key.size} bits`;
  return key.type === 'DH'
    ? { points: integerFactoringPoints(key.size), label }
    : { points: ellipticPoints(key.size), label };
}

/** The weaker of the certificate's key and every ephemeral key seen; an anonymous suite scores 0. */
export function keyExchangeScore(
  suites: readonly AcceptedSuite[],
  certificate: CertificateKey,
): CategoryScore {
  const ratings: KeyRating[] = [];
  const anonymous = suites.find((suite) => suiteTraits(suite.name).anonymous);
  if (anonymous) ratings.push({ points: 0, label: `anonymous ${anonymous.name}` });
  const certificateRating = certificateKeyRating(certificate);
  if (certificateRating) ratings.push(certificateRating);
  for (const suite of suites) if (suite.ephemeralKey) ratings.push(ephemeralKeyRating(suite.ephemeralKey));
  const labels = [...new Set(ratings.map((rating) => rating.label))];
  if (ratings.length === 0) return { score: 0, detail: 'no key seen' };
  const weakest = Math.min(...ratings.map((rating) => rating.points));
  return { score: weakest, detail: labels.join('; ') };
}

function cipherPoints(bits: number): number {
  if (bits === 0) return 0;
  if (bits < 128) return 20;
  if (bits < 256) return 80;
  return 100;
}

export function cipherScore(suites: readonly AcceptedSuite[]): CategoryScore {
  const bits = suites.map((suite) => suiteTraits(suite.name).bits).filter((b): b is number => b !== null);
  if (bits.length === 0) return { score: 0, detail: 'no suite of known strength' };
  const strongest = Math.max(...bits);
  const weakest = Math.min(...bits);
  return {
    score: mean(cipherPoints(strongest), cipherPoints(weakest)),
    detail: weakest === strongest ? `${weakest} bits` : `${weakest} to ${strongest} bits`,
  };
}

/** Protocol 30 %, key exchange 30 %, cipher strength 40 %; a zero anywhere makes it all zero. */
export function combinedScore(protocol: number, keyExchange: number, cipher: number) {
  const weighted = {
    protocol: Math.floor((protocol * 30) / 100),
    keyExchange: Math.floor((keyExchange * 30) / 100),
    cipher: Math.floor((cipher * 40) / 100),
  };
  const zero = protocol === 0 || keyExchange === 0 || cipher === 0;
  return { weighted, total: zero ? 0 : weighted.protocol + weighted.keyExchange + weighted.cipher };
}
