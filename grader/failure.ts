import { z } from 'zod';
import { FAILURE_CODES, type Failure } from '@/contract';

/**
 * How a check failed, as its kind classifies it from the facts. A lab's check keys its hints by these
 * (`hints: { refused: "…" }`), so the page says what to do about this failure, not a generic hint.
 */
export const FAILURES = {
  refused: 'nothing accepted the connection: nothing listens on that address and port',
  timeout: 'no answer within the time allowed',
  unreachable: 'the host name did not resolve or the address cannot be reached',
  closed: 'the server accepted the connection and closed it (or reset it) without an answer',
  status: 'an answer with another HTTP status',
  unavailable:
    'an answer saying the server is not ready: 502, 503 or 504 (a proxy whose backend is starting)',
  'http-version': 'an answer over another HTTP version',
  header: 'a header is missing or says something else (content type, location, others)',
  body: 'the body does not contain or match the expected text, or is not the expected JSON',
  cookie: 'a cookie is missing or lacks a flag',
  slow: 'the answer came, but later than allowed',
  'tls-handshake': 'no TLS handshake: the port speaks plain text, or the handshake broke off',
  'tls-alert': 'the server ended the handshake with a TLS alert',
  'tls-version': 'a TLS protocol version offered or refused other than expected',
  alpn: 'ALPN chose another protocol (h2, http/1.1)',
  'cert-name': "the certificate's names do not match",
  'tls-grade': 'the TLS grade is lower than required',
  websocket: 'the WebSocket handshake or echo did not happen as expected',
  dns: 'the DNS answer is missing or different',
  exit: 'the command exited with a code other than 0',
  'file-missing': 'the file does not exist or cannot be read as the learner',
  'file-content': 'the file does not contain or match the expected text',
  'process-missing': 'no process runs with that command line',
  'process-mismatch': 'the process runs, but as another user, terminal or parent',
  'port-scope': 'the port listens on other addresses than required (loopback or all)',
  'port-owner': 'the port belongs to another user',
} as const satisfies Record<Failure, string>;

export { FailureSchema, type Failure } from '@/contract';

/** Per-failure hints a check carries, keyed by failure code; `other` when no key fits. */
export const HintsSchema = z.partialRecord(z.enum([...FAILURE_CODES, 'other']), z.string().min(1));
export type Hints = z.infer<typeof HintsSchema>;

/**
 * Failures that say a server is still starting: it took the connection and closed it, a proxy answered
 * that its backend is not ready, the TLS handshake broke off. Only these are worth trying again for a
 * learner's Check; any other failure is the answer, at once ("nothing listens on 127.0.0.1:8080" does
 * not change by waiting, and the live re-checks look again after the learner's next command anyway).
 */
export const NOT_READY_FAILURES: ReadonlySet<Failure> = new Set(['closed', 'unavailable', 'tls-handshake']);

/** What curl's exit code says about how a request failed (`man curl`, EXIT CODES). */
export function curlFailure(exitCode: number): Failure {
  if (exitCode === 7) return 'refused';
  if (exitCode === 28) return 'timeout';
  if (exitCode === 6 || exitCode === 5) return 'unreachable';
  if ([35, 51, 53, 54, 58, 59, 60, 77, 80, 83, 90, 91].includes(exitCode)) return 'tls-handshake';
  return 'closed';
}

/** How a TLS probe's handshake failed, from its stage and the error the socket reported. */
export function tlsFailure(facts: {
  stage: string;
  error?: { code: string; message: string } | null;
}): Failure {
  const code = facts.error?.code ?? '';
  const message = facts.error?.message ?? '';
  if (code === 'ECONNREFUSED') return 'refused';
  if (facts.stage === 'timeout' || code === 'ETIMEDOUT') return 'timeout';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EHOSTUNREACH') return 'unreachable';
  if (/ALERT/.test(code) || /alert/i.test(message)) return 'tls-alert';
  return 'tls-handshake';
}

/** How a WebSocket probe failed, from how far it got and its error. */
export function websocketFailure(facts: { stage: string; error: string | null }): Failure {
  const error = facts.error ?? '';
  if (/ECONNREFUSED/.test(error)) return 'refused';
  if (/ETIMEDOUT|timed out|within \d+ ?ms/i.test(error)) return 'timeout';
  if (/ENOTFOUND|EAI_AGAIN/.test(error)) return 'unreachable';
  if (facts.stage === 'connect' && /ECONNRESET|socket hang up|closed/i.test(error)) return 'closed';
  return 'websocket';
}
