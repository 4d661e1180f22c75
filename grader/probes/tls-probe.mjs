// Keiko's TLS probe: one handshake, one JSON line of facts on stdout, exit 0 whatever the server did.
// It runs in the probe container (Node 18 from Debian 12, OpenSSL 3) with no dependencies, so that a
// grader decides from structured facts rather than from `openssl s_client` text. Bad arguments are a
// grader bug, not a handshake outcome: they exit 2 with a message on stderr and print no JSON.
//
// Usage: tls-probe.mjs --host 127.0.0.1 --port 8443 [--servername lab.test] [--alpn h2,http/1.1]
//          [--min-version TLSv1] [--max-version TLSv1.1] [--ciphers 'DEFAULT:@SECLEVEL=0']
//          [--ca-file path] [--timeout-ms 5000]
import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { clearTimeout, setTimeout } from 'node:timers';
import tls from 'node:tls';

const VERSIONS = ['TLSv1', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3'];
const LEGACY_VERSIONS = new Set(['TLSv1', 'TLSv1.1']);
// OpenSSL 3 will not complete a TLS 1.0/1.1 handshake at security level 1 or more (SHA-1 signatures
// are refused), so without this a probe that "offers TLS 1.0" would abort on its own side.
const LEGACY_SECLEVEL = '@SECLEVEL=0';
const FLAGS = [
  'host',
  'port',
  'servername',
  'alpn',
  'min-version',
  'max-version',
  'ciphers',
  'ca-file',
  'timeout-ms',
];

class UsageError extends Error {}

function parseArgs(argv) {
  const values = {};
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i];
    const match = /^--([a-z-]+)(?:=(.*))?$/s.exec(arg);
    if (!match || !FLAGS.includes(match[1])) throw new UsageError(`unknown argument ${JSON.stringify(arg)}`);
    const value = match[2] ?? argv[(i += 1)];
    if (value === undefined) throw new UsageError(`--${match[1]} needs a value`);
    values[match[1]] = value;
  }
  return values;
}

function versionArg(values, flag) {
  const value = values[flag];
  if (value === undefined) return undefined;
  if (!VERSIONS.includes(value)) throw new UsageError(`--${flag} must be one of ${VERSIONS.join(', ')}`);
  return value;
}

function integerArg(values, flag, min, max, fallback) {
  const text = values[flag];
  if (text === undefined && fallback !== undefined) return fallback;
  const value = Number(text);
  if (text === undefined || !Number.isInteger(value) || value < min || value > max) {
    throw new UsageError(`--${flag} must be an integer from ${min} to ${max}`);
  }
  return value;
}

/**
 * Node 18 sends no SNI unless told, unlike curl and browsers, so the host name is sent by default.
 * SNI cannot carry an IP address (Node warns and OpenSSL drops it), so an IP is never sent as one.
 */
function sniFor(name) {
  return name && !isIP(name) ? name : null;
}

/** What the client will offer, with the defaults made explicit so the output can say exactly that. */
function resolveOptions(values) {
  if (!values.host) throw new UsageError('--host is required');
  const port = integerArg(values, 'port', 1, 65535);
  const timeoutMs = integerArg(values, 'timeout-ms', 1, 600_000, 5000);
  const maxVersion = versionArg(values, 'max-version') ?? 'TLSv1.3';
  // Asking only for a low maximum means "offer everything up to it", not Node's default floor of 1.2.
  const minVersion =
    versionArg(values, 'min-version') ?? (VERSIONS.indexOf(maxVersion) < 2 ? 'TLSv1' : 'TLSv1.2');
  if (VERSIONS.indexOf(minVersion) > VERSIONS.indexOf(maxVersion)) {
    throw new UsageError(`--min-version ${minVersion} is above --max-version ${maxVersion}`);
  }
  const offersLegacy = VERSIONS.slice(VERSIONS.indexOf(minVersion), VERSIONS.indexOf(maxVersion) + 1).some(
    (version) => LEGACY_VERSIONS.has(version),
  );
  let ciphers = values.ciphers ?? null;
  // An explicit security level is kept, so a caller can still reproduce the client-side refusal.
  if (offersLegacy && !(ciphers ?? '').includes('@SECLEVEL=')) {
    ciphers = ciphers ? `${ciphers}:${LEGACY_SECLEVEL}` : `DEFAULT:${LEGACY_SECLEVEL}`;
  }
  const alpn = values.alpn ? values.alpn.split(',').filter(Boolean) : null;
  let ca;
  if (values['ca-file'] !== undefined) {
    try {
      ca = readFileSync(values['ca-file']);
    } catch (error) {
      throw new UsageError(`--ca-file ${values['ca-file']}: ${error.message}`);
    }
  }
  return {
    host: values.host,
    port,
    servername: sniFor(values.servername ?? values.host),
    alpn: alpn && alpn.length > 0 ? alpn : null,
    minVersion,
    maxVersion,
    ciphers,
    caFile: values['ca-file'] ?? null,
    ca,
    timeoutMs,
  };
}

const NOT_CONNECTED = {
  protocol: null,
  cipher: null,
  alpn: null,
  authorized: null,
  authorizationError: null,
  certificate: null,
  ephemeralKey: null,
};

/**
 * Who ended a failed handshake. OpenSSL reports an alert it *received* with the reason
 * "... alert ..." and the data "SSL alert number N"; the peer hanging up is a reset. Anything else
 * was raised by our own side (it could not offer what was asked, or rejected the server's answer),
 * and so says nothing about what the server allows: a "server refuses TLS 1.0" check must not pass.
 */
function failureStage(error, tcpConnected) {
  if (!tcpConnected) return 'tcp-error';
  const code = typeof error.code === 'string' ? error.code : '';
  const message = String(error.message ?? '');
  if (/SSL alert number \d+/.test(message)) return 'refused-by-server';
  if (/^ERR_SSL_(SSLV3_ALERT|TLSV1_ALERT|TLSV13_ALERT)_/.test(code)) return 'refused-by-server';
  if (code === 'ECONNRESET' || code === 'EPIPE') return 'refused-by-server';
  return 'refused-by-client';
}

function errorFacts(error) {
  const code = typeof error.code === 'string' ? error.code : 'UNKNOWN';
  return { code, message: String(error.message ?? error).trim() };
}

/** Node prints SANs as "DNS:a, IP Address:1.2.3.4", quoting (JSON-style) any value with a comma. */
function splitAltNames(text) {
  if (!text) return [];
  const names = [];
  const entry = /([A-Za-z0-9 ]+):("(?:[^"\\]|\\.)*"|[^,]*)(?:, |$)/gy;
  let match;
  while (entry.lastIndex < text.length && (match = entry.exec(text))) {
    const value = match[2].startsWith('"') ? JSON.parse(match[2]) : match[2];
    names.push(`${match[1]}:${value}`);
  }
  return names;
}

/** Node gives one RFC 2253-escaped attribute a line; one line reads like `openssl x509 -subject`. */
function distinguishedName(text) {
  return text.split('\n').filter(Boolean).join(', ');
}

function isoDate(text) {
  const date = new Date(text);
  return Number.isNaN(date.getTime()) ? text : date.toISOString();
}

function certificateFacts(socket) {
  const peer = socket.getPeerCertificate(false);
  if (!peer || !peer.raw) return null;
  const x509 = new X509Certificate(peer.raw);
  let key = null;
  try {
    key = x509.publicKey;
  } catch {
    // A key algorithm Node cannot load: the certificate's other facts still stand.
  }
  const selfSigned = key !== null && x509.checkIssued(x509) && x509.verify(key);
  const details = key?.asymmetricKeyDetails ?? {};
  return {
    subject: distinguishedName(x509.subject),
    issuer: distinguishedName(x509.issuer),
    subjectAltNames: splitAltNames(x509.subjectAltName),
    validFrom: isoDate(x509.validFrom),
    validTo: isoDate(x509.validTo),
    bits: peer.bits ?? details.modulusLength ?? null,
    keyType: key?.asymmetricKeyType ?? null,
    fingerprint256: x509.fingerprint256,
    selfSigned,
  };
}

function connectedFacts(socket) {
  const cipher = socket.getCipher();
  const ephemeral = socket.getEphemeralKeyInfo();
  return {
    protocol: socket.getProtocol(),
    cipher: cipher ? { name: cipher.name, standardName: cipher.standardName, version: cipher.version } : null,
    alpn: socket.alpnProtocol || null,
    authorized: socket.authorized,
    authorizationError: socket.authorizationError ? String(socket.authorizationError) : null,
    certificate: certificateFacts(socket),
    ephemeralKey: ephemeral && ephemeral.type ? { ...ephemeral } : null,
  };
}

function probe(options) {
  const offered = {
    host: options.host,
    port: options.port,
    servername: options.servername,
    alpn: options.alpn,
    minVersion: options.minVersion,
    maxVersion: options.maxVersion,
    ciphers: options.ciphers,
    caFile: options.caFile,
  };
  return new Promise((resolve) => {
    let socket;
    let tcpConnected = false;
    let settled = false;
    const finish = (facts) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket?.destroy();
      resolve({ ...facts, offered });
    };
    const fail = (stage, error) => finish({ ok: false, stage, error, ...NOT_CONNECTED });
    const timer = setTimeout(() => {
      const phase = tcpConnected ? 'no TLS handshake' : 'no TCP connection';
      fail('timeout', { code: 'ETIMEDOUT', message: `${phase} within ${options.timeoutMs} ms` });
    }, options.timeoutMs);
    try {
      socket = tls.connect({
        host: options.host,
        port: options.port,
        ...(options.servername ? { servername: options.servername } : {}),
        ...(options.alpn ? { ALPNProtocols: options.alpn } : {}),
        minVersion: options.minVersion,
        maxVersion: options.maxVersion,
        ...(options.ciphers ? { ciphers: options.ciphers } : {}),
        ...(options.ca ? { ca: options.ca } : {}),
        // The probe reports trust as a fact (authorized, authorizationError) instead of aborting on it.
        rejectUnauthorized: false,
      });
    } catch (error) {
      // A cipher list or version OpenSSL rejects before any packet: our client could not offer it.
      fail('refused-by-client', errorFacts(error));
      return;
    }
    socket.on('connect', () => {
      tcpConnected = true;
    });
    // A throw while reading a finished handshake is a probe bug: it crashes (no JSON, exit 1) rather
    // than pose as a verdict about the server.
    socket.on('secureConnect', () =>
      finish({ ok: true, stage: 'connected', error: null, ...connectedFacts(socket) }),
    );
    socket.on('error', (error) => fail(failureStage(error, tcpConnected), errorFacts(error)));
    socket.on('close', () =>
      fail(tcpConnected ? 'refused-by-server' : 'tcp-error', {
        code: 'ECONNRESET',
        message: 'the connection closed before the TLS handshake finished',
      }),
    );
  });
}

/**
 * One probe, whole: what the one-shot script prints and its exit code. The grader's probe agent
 * imports this module and calls it in its own Node instead of starting one per handshake.
 */
export async function run(args) {
  let options;
  try {
    options = resolveOptions(parseArgs(args));
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    return { exitCode: 2, stdout: '', stderr: `tls-probe: ${error.message}\n` };
  }
  const facts = await probe(options);
  return { exitCode: 0, stdout: `${JSON.stringify(facts)}\n`, stderr: '' };
}

if (!globalThis.keikoProbeAgent) {
  const outcome = await run(process.argv.slice(2));
  process.stdout.write(outcome.stdout);
  process.stderr.write(outcome.stderr);
  process.exitCode = outcome.exitCode;
  // A half-closed socket must not keep the grader waiting once the facts are out.
  if (outcome.exitCode === 0) setTimeout(() => process.exit(0), 200).unref();
}
