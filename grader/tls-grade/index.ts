/** The SSL Labs-method TLS grade: pure rating rules and the probing plan that feeds them. */
export { suiteTraits, type SuiteTraits } from './ciphers';
export { HSTS_MIN_SECONDS, hstsShortfall, parseHsts, type HstsFact } from './hsts';
export {
  MAX_SUITES_PER_PROTOCOL,
  nextOffer,
  probeArgs,
  ratingInputs,
  scanProtocol,
  TLS13_SUITES,
  type ProbeTarget,
  type ProtocolScan,
  type RunHandshake,
} from './plan';
export {
  gradeForScore,
  meetsGrade,
  rate,
  trustProblem,
  type Cap,
  type LetterGrade,
  type Rating,
  type RatingInputs,
  TLS_GRADES,
  type TlsGrade,
} from './rating';
export { ratingEvidence, ratingMessage, ratingReport } from './report';
export type { AcceptedSuite, CertificateKey, Protocol } from './scores';
