import { suiteTraits } from './ciphers';
import { hstsShortfall, type HstsFact } from './hsts';
import {
  cipherScore,
  combinedScore,
  keyExchangeScore,
  PROTOCOL_LABELS,
  protocolScore,
  type AcceptedSuite,
  type CategoryScore,
  type CertificateKey,
  type Protocol,
} from './scores';

/** The grades from best to worst; `T` is a certificate the client cannot trust. */
export const TLS_GRADES = ['A+', 'A', 'A-', 'B', 'C', 'D', 'E', 'F', 'T'] as const;
export type TlsGrade = (typeof TLS_GRADES)[number];
export type LetterGrade = Exclude<TlsGrade, 'T'>;
const LETTERS: readonly LetterGrade[] = ['A+', 'A', 'A-', 'B', 'C', 'D', 'E', 'F'];
const ALL_GRADES: readonly TlsGrade[] = [...LETTERS, 'T'];

/** True when `grade` is as good as `floor` or better; T is below every letter. */
export function meetsGrade(grade: TlsGrade, floor: TlsGrade): boolean {
  return ALL_GRADES.indexOf(grade) <= ALL_GRADES.indexOf(floor);
}

const worse = (a: LetterGrade, b: LetterGrade): LetterGrade =>
  LETTERS.indexOf(a) >= LETTERS.indexOf(b) ? a : b;

export function gradeForScore(score: number): LetterGrade {
  if (score >= 80) return 'A';
  if (score >= 65) return 'B';
  if (score >= 50) return 'C';
  if (score >= 35) return 'D';
  if (score >= 20) return 'E';
  return 'F';
}

export interface RatingInputs {
  /** The protocols the server accepted. */
  protocols: readonly Protocol[];
  suites: readonly AcceptedSuite[];
  certificateKey: CertificateKey;
  /** Node's authorizationError for the chain and name, null when trusted. */
  trustError: string | null;
  hsts: HstsFact;
}

export interface Cap {
  grade: LetterGrade;
  reason: string;
}

export interface Rating {
  grade: TlsGrade;
  /** The grade the configuration earns were its certificate trusted (SSL Labs shows it beside a T). */
  gradeIfTrusted: LetterGrade;
  score: number;
  scoreGrade: LetterGrade;
  categories: { protocol: CategoryScore; keyExchange: CategoryScore; cipher: CategoryScore };
  weighted: { protocol: number; keyExchange: number; cipher: number };
  caps: Cap[];
  warnings: string[];
  trustProblem: string | null;
  /** Why an A is not an A+ (null once it is, or when the grade is below A anyway). */
  aPlusShortfall: string | null;
  /** The one reason a learner should read first. */
  mainReason: string;
}

const TRUST_PROBLEMS: Record<string, string> = {
  DEPTH_ZERO_SELF_SIGNED_CERT: 'the certificate is self-signed',
  SELF_SIGNED_CERT_IN_CHAIN: 'the chain ends in a self-signed root nobody trusts',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: "the certificate's issuer is not trusted, or its chain is incomplete",
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: "the certificate's issuer is not trusted, or its chain is incomplete",
  UNABLE_TO_GET_ISSUER_CERT: "the certificate's issuer is not trusted, or its chain is incomplete",
  CERT_HAS_EXPIRED: 'the certificate has expired',
  CERT_NOT_YET_VALID: 'the certificate is not valid yet',
  // SSL Labs grades a name mismatch M; the course's scale has no M, so it is an untrusted T here.
  ERR_TLS_CERT_ALTNAME_INVALID: 'the certificate does not name the server (SSL Labs would show M)',
};

export function trustProblem(error: string): string {
  return TRUST_PROBLEMS[error] ?? `the certificate is not trusted (${error})`;
}

function findCaps(inputs: RatingInputs, keyExchange: number): Cap[] {
  const caps: Cap[] = [];
  const cap = (grade: LetterGrade, reason: string) => caps.push({ grade, reason });
  const offered = (p: Protocol) => inputs.protocols.includes(p);
  const suites = inputs.suites.map((suite) => ({ ...suite, traits: suiteTraits(suite.name) }));
  const modern = (suite: AcceptedSuite) => suite.protocol !== 'TLSv1' && suite.protocol !== 'SSLv3';

  if (offered('SSLv2')) cap('F', 'SSL 2.0 is offered');
  if (offered('SSLv3') && !inputs.protocols.some((p) => p.startsWith('TLS')))
    cap('F', 'SSL 3.0 is the best protocol offered');
  if (keyExchange <= 40) cap('F', `the key exchange is insecure (score ${keyExchange})`);
  const weakCipher = suites.find((s) => s.traits.bits !== null && s.traits.bits < 112);
  if (weakCipher) cap('F', `${weakCipher.name} encrypts with ${weakCipher.traits.bits} bits, under 112`);
  const exportSuite = suites.find((s) => s.traits.export);
  if (exportSuite) cap('F', `the export suite ${exportSuite.name} is offered`);

  if (!offered('TLSv1.2') && !offered('TLSv1.3')) cap('C', 'neither TLS 1.2 nor TLS 1.3 is offered');
  const sweet32 = suites.find((s) => s.traits.smallBlock && modern(s));
  if (sweet32)
    cap(
      'C',
      `a 64-bit block cipher (${sweet32.name}) is offered with ${PROTOCOL_LABELS[sweet32.protocol]} (SWEET32)`,
    );
  const modernRc4 = suites.find((s) => s.traits.rc4 && modern(s));
  if (modernRc4) cap('C', `RC4 (${modernRc4.name}) is offered with ${PROTOCOL_LABELS[modernRc4.protocol]}`);

  if (offered('SSLv3')) cap('B', 'SSL 3.0 is offered');
  if (offered('TLSv1')) cap('B', 'TLS 1.0 is offered');
  if (offered('TLSv1.1')) cap('B', 'TLS 1.1 is offered');
  if (keyExchange > 40 && keyExchange <= 80)
    cap('B', `the key exchange is weak (score ${keyExchange}, under 2048-bit strength)`);
  if (suites.length > 0 && !suites.some((s) => s.traits.forwardSecrecy))
    cap('B', 'no suite offers forward secrecy (ECDHE or DHE)');
  if (suites.length > 0 && !suites.some((s) => s.traits.aead))
    cap('B', 'no AEAD suite (GCM, ChaCha20, CCM) is offered');
  if (suites.some((s) => s.traits.rc4)) cap('B', 'RC4 is offered');
  return caps;
}

function findWarnings(inputs: RatingInputs): string[] {
  const warnings: string[] = [];
  if (!inputs.protocols.includes('TLSv1.3')) warnings.push('TLS 1.3 is not offered');
  // A missing header is no warning (testssl agrees); it only keeps the grade from A+, below.
  if (inputs.hsts.state === 'present') {
    const short = hstsShortfall(inputs.hsts);
    if (short) warnings.push(short);
  }
  return warnings;
}

/** The SSL Labs rating guide (2009r), applied to facts the probe measured. */
export function rate(inputs: RatingInputs): Rating {
  const categories = {
    protocol: protocolScore(inputs.protocols),
    keyExchange: keyExchangeScore(inputs.suites, inputs.certificateKey),
    cipher: cipherScore(inputs.suites),
  };
  const { weighted, total } = combinedScore(
    categories.protocol.score,
    categories.keyExchange.score,
    categories.cipher.score,
  );
  const scoreGrade = gradeForScore(total);
  const caps = findCaps(inputs, categories.keyExchange.score);
  const warnings = findWarnings(inputs);
  let letter = caps.reduce((grade, cap) => worse(grade, cap.grade), scoreGrade);
  const binding = caps.find((cap) => cap.grade === letter && letter !== scoreGrade);
  let aPlusShortfall: string | null = null;
  if (letter === 'A' && warnings.length > 0) letter = 'A-';
  else if (letter === 'A') {
    aPlusShortfall = hstsShortfall(inputs.hsts);
    if (aPlusShortfall === null) letter = 'A+';
  }
  const trust = inputs.trustError === null ? null : trustProblem(inputs.trustError);
  const grade: TlsGrade = trust ? 'T' : letter;

  let mainReason: string;
  if (trust) mainReason = `${trust} (${letter} if it were trusted)`;
  else if (binding) mainReason = `capped at ${binding.grade} because ${binding.reason}`;
  else if (letter === 'A-') mainReason = `${warnings[0] ?? 'a warning'}`;
  else if (letter === 'A') mainReason = `not A+ because ${aPlusShortfall ?? 'of a warning'}`;
  else if (letter === 'A+') mainReason = 'HSTS is at least 180 days and nothing caps or warns';
  else mainReason = `the score is ${total}`;

  return {
    grade,
    gradeIfTrusted: letter,
    score: total,
    scoreGrade,
    categories,
    weighted,
    caps,
    warnings,
    trustProblem: trust,
    aPlusShortfall,
    mainReason,
  };
}
