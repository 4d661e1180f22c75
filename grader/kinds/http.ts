import { z } from 'zod';
import { hasJsonType, jsonEqual, jsonTypeOf, readJsonPath } from '../json-path';
import { matches } from '../pattern-match';
import {
  parseCurlParallel,
  parseCurlTransfer,
  parseSetCookie,
  PARALLEL_WRITE_OUT,
  TRANSFER_WRITE_OUT,
  type CurlFacts,
  type TransferFacts,
} from '../parsers';
import { curlFailure, type Failure } from '../failure';
import { clip, type CheckResult } from '../result';
import type { CheckContext } from '../sandbox-port';
import { shellQuote } from '../shell-quote';
import { defineCheckKind } from './kind';

export const Resolve = z.string().regex(/^[^:\s]+:\d+:[^\s]+$/, "host:port:address, as curl's --resolve");

const JsonExpectationSchema = z
  .object({
    /** `$.items[0].name`: fields, `["quoted-names"]` and array indexes. */
    path: z.string().regex(/^\$/, 'a JSON path starts with $, e.g. $.items[0]'),
    equals: z.unknown().optional(),
    type: z.enum(['string', 'number', 'integer', 'boolean', 'object', 'array', 'null']).optional(),
    /** `false`: the path must not be there. */
    exists: z.boolean().default(true),
  })
  .strict();

const CookieExpectationSchema = z
  .object({
    name: z.string().min(1),
    httpOnly: z.boolean().optional(),
    secure: z.boolean().optional(),
    sameSite: z.enum(['Strict', 'Lax', 'None']).optional(),
  })
  .strict();

export const HttpExpectSchema = z
  .object({
    status: z.number().int().optional(),
    /** Any status in the class, e.g. 3 for any 3xx (Bottle sends 302 or 303 by protocol version). */
    statusClass: z.number().int().min(1).max(5).optional(),
    /** As curl reports it: `1` is HTTP/1.0. */
    httpVersion: z.enum(['1', '1.1', '2']).optional(),
    bodyContains: z.string().optional(),
    bodyMatches: z.string().optional(),
    /** Values at JSON paths of the body, which must be JSON. */
    json: z.array(JsonExpectationSchema).optional(),
    /** The path (and query) of the Location header, whatever host it names. */
    locationPath: z.string().optional(),
    /** The whole Location header, scheme and host included (to prove a proxy keeps https). */
    location: z.string().optional(),
    contentType: z.string().optional(),
    /** Response headers (names in any case) whose value must contain the given text. */
    headers: z.record(z.string(), z.string()).optional(),
    /** A cookie the response sets, with the flags it must carry. */
    setsCookie: CookieExpectationSchema.optional(),
    /** The transfer, or with `parallel` the slowest of them, finished within this many milliseconds. */
    withinMs: z.number().int().min(1).max(120_000).optional(),
  })
  .strict();

/** One request: the fields an `http` check and each request of a `sequence` share. */
export const HttpRequestFields = {
  url: z.url(),
  method: z.enum(['GET', 'POST', 'PUT', 'DELETE', 'HEAD', 'PATCH']).default('GET'),
  /** Which HTTP the client asks for: `2` negotiates h2 by ALPN over TLS, `2-prior` assumes h2 over cleartext. */
  http: z.enum(['1.1', '2', '2-prior']).optional(),
  /** `host:port:address`, as curl's --resolve, for SNI names that only the lab knows. */
  resolve: Resolve.optional(),
  insecure: z.boolean().default(false),
  headers: z.record(z.string(), z.string()).default({}),
  body: z.string().optional(),
  expect: HttpExpectSchema,
};

export const HttpCheckSchema = z
  .object({
    ...HttpRequestFields,
    /** Send this many identical requests at once (a threaded server answers them side by side). */
    parallel: z.number().int().min(2).max(32).optional(),
  })
  .strict()
  .refine(
    (check) =>
      check.parallel === undefined ||
      (check.expect.bodyContains ??
        check.expect.bodyMatches ??
        check.expect.json ??
        check.expect.setsCookie) === undefined,
    {
      message: 'a parallel check decides from statuses and times only: drop the body and cookie expectations',
    },
  );
export type HttpCheck = z.infer<typeof HttpCheckSchema>;
export type HttpExpect = z.infer<typeof HttpExpectSchema>;

/** The fields of one request, shared by `http` checks and each request of a `sequence`. */
/** One request as the grader sends it: what an `http` check and each request of a `sequence` share. */
export type HttpRequest = z.output<z.ZodObject<typeof HttpRequestFields>>;

const VERSION_FLAGS = {
  '1.1': ['--http1.1'],
  '2': ['--http2'],
  '2-prior': ['--http2-prior-knowledge'],
} as const;

/** The request options both the grader's curl and the learner's copy of it share, URL last. */
function requestArgs(request: HttpRequest): string[] {
  return [
    ...(request.http ? VERSION_FLAGS[request.http] : []),
    ...(request.insecure ? ['-k'] : []),
    ...(request.resolve ? ['--resolve', request.resolve] : []),
    ...(request.method !== 'GET' ? ['-X', request.method] : []),
    ...Object.entries(request.headers).flatMap(([name, value]) => ['-H', `${name}: ${value}`]),
    ...(request.body !== undefined ? ['--data-binary', request.body] : []),
    request.url,
  ];
}

/** What the learner pastes into the lab terminal to see the same answer. */
export function learnerCurl(request: HttpRequest, extra: string[] = []): string {
  return shellQuote(['curl', '-sS', '-i', ...extra, ...requestArgs(request)]);
}

/** curl's `--max-time`: a second under the check's timeout, so curl reports before the exec is cut. */
function maxTimeSeconds(timeoutMs: number): string {
  return String(Math.max(1, Math.floor(timeoutMs / 1000) - 1));
}

export interface Fetched {
  transfer: TransferFacts;
  body: string;
}

/**
 * One request from the probe's own curl (`-q`: no curlrc is read). The body goes to stdout and the
 * facts and headers to stderr, so neither can spoof the other.
 */
export async function fetchInProbe(
  request: HttpRequest,
  context: CheckContext,
  extra: string[] = [],
): Promise<Fetched> {
  const argv = [
    'curl',
    '-q',
    '-s',
    '-o',
    '-',
    '-w',
    TRANSFER_WRITE_OUT,
    '--max-time',
    maxTimeSeconds(context.timeoutMs),
    ...extra,
    ...requestArgs(request),
  ];
  const result = await context.sandbox.exec(context.sessionId, {
    argv,
    in: 'probe',
    timeoutMs: context.timeoutMs,
  });
  return { transfer: parseCurlTransfer(result.stderr), body: result.stdout };
}

/** One way an answer misses the expectation: what kind of failure it is, and the sentence saying so. */
export interface Problem {
  failure: Failure;
  text: string;
}

/** The problems as one clause for the learner's message. */
export function sayProblems(problems: readonly Problem[]): string {
  return problems.map((problem) => problem.text).join('; ');
}

/** Why a transfer that got an answer does not meet the expectation; empty when it does. */
export async function httpProblems(
  expect: HttpExpect,
  { facts, headers }: TransferFacts,
  body: string,
): Promise<Problem[]> {
  const problems: Problem[] = [];
  const add = (failure: Failure) => (text: string) => problems.push({ failure, text });
  // 502-504 from a proxy is its backend not being ready yet: worth another try, unlike a 404.
  const statusFailure: Failure = [502, 503, 504].includes(facts.http_code) ? 'unavailable' : 'status';
  if (expect.status !== undefined && facts.http_code !== expect.status)
    add(statusFailure)(`the status is ${facts.http_code}, not ${expect.status}`);
  if (expect.statusClass !== undefined && Math.floor(facts.http_code / 100) !== expect.statusClass)
    add(statusFailure)(`the status is ${facts.http_code}, not a ${expect.statusClass}xx`);
  if (expect.httpVersion !== undefined && facts.http_version !== expect.httpVersion)
    add('http-version')(`it was served over HTTP/${facts.http_version}, not HTTP/${expect.httpVersion}`);
  if (expect.bodyContains !== undefined && !body.includes(expect.bodyContains))
    add('body')(`the body does not contain "${expect.bodyContains}"`);
  if (expect.bodyMatches !== undefined && !(await matches(expect.bodyMatches, 'm', body)))
    add('body')(`the body does not match /${expect.bodyMatches}/`);
  if (expect.contentType !== undefined && !(facts.content_type ?? '').startsWith(expect.contentType))
    add('header')(`the content type is "${facts.content_type ?? 'none'}", not ${expect.contentType}`);
  if (expect.locationPath !== undefined) {
    const location = facts.redirect_url ? new URL(facts.redirect_url) : undefined;
    const path = location ? `${location.pathname}${location.search}` : undefined;
    if (path !== expect.locationPath)
      add('header')(`it redirects to ${path ?? 'nowhere'}, not ${expect.locationPath}`);
  }
  if (expect.location !== undefined) {
    const location = headers['location']?.[0];
    if (location !== expect.location)
      add('header')(`it redirects to ${location ?? 'nowhere'}, not ${expect.location}`);
  }
  for (const [name, wanted] of Object.entries(expect.headers ?? {})) {
    const values = headers[name.toLowerCase()];
    if (!values) add('header')(`the response has no ${name} header`);
    else if (!values.join(', ').includes(wanted))
      add('header')(`its ${name} header is "${values.join(', ')}", without "${wanted}"`);
  }
  if (expect.setsCookie)
    cookieProblems(expect.setsCookie, headers['set-cookie'] ?? []).forEach(add('cookie'));
  if (expect.json) jsonProblems(expect.json, body).forEach(add('body'));
  if (expect.withinMs !== undefined && facts.time_total * 1000 > expect.withinMs)
    add('slow')(`it took ${facts.time_total.toFixed(2)} s, more than ${expect.withinMs / 1000} s`);
  return problems;
}

function cookieProblems(expect: NonNullable<HttpExpect['setsCookie']>, setCookies: string[]): string[] {
  const cookie = setCookies.map(parseSetCookie).find((candidate) => candidate.name === expect.name);
  if (!cookie) return [`it sets no cookie named "${expect.name}"`];
  const problems: string[] = [];
  const flag = (attribute: string) => cookie.attributes[attribute] !== undefined;
  if (expect.httpOnly !== undefined && flag('httponly') !== expect.httpOnly)
    problems.push(`the cookie "${expect.name}" is ${expect.httpOnly ? 'not ' : ''}HttpOnly`);
  if (expect.secure !== undefined && flag('secure') !== expect.secure)
    problems.push(`the cookie "${expect.name}" is ${expect.secure ? 'not ' : ''}Secure`);
  const sameSite = cookie.attributes['samesite'];
  if (
    expect.sameSite !== undefined &&
    (typeof sameSite !== 'string' || sameSite.toLowerCase() !== expect.sameSite.toLowerCase())
  )
    problems.push(
      `the cookie "${expect.name}" has SameSite=${typeof sameSite === 'string' ? sameSite : '(none)'}, not ${expect.sameSite}`,
    );
  return problems;
}

function jsonProblems(expectations: NonNullable<HttpExpect['json']>, body: string): string[] {
  let document: unknown;
  try {
    document = JSON.parse(body);
  } catch (error) {
    return [`the body is not JSON (${error instanceof Error ? error.message : String(error)})`];
  }
  const problems: string[] = [];
  for (const expectation of expectations) {
    const reading = readJsonPath(document, expectation.path);
    if (!expectation.exists) {
      if (reading.found) problems.push(`${expectation.path} is there, and should not be`);
      continue;
    }
    if (!reading.found) {
      problems.push(`${expectation.path} is missing (${reading.missing})`);
      continue;
    }
    if (expectation.type !== undefined && !hasJsonType(reading.value, expectation.type))
      problems.push(`${expectation.path} is ${jsonTypeOf(reading.value)}, not ${expectation.type}`);
    if (expectation.equals !== undefined && !jsonEqual(reading.value, expectation.equals))
      problems.push(
        `${expectation.path} is ${JSON.stringify(reading.value)}, not ${JSON.stringify(expectation.equals)}`,
      );
  }
  return problems;
}

/** The lines a learner reads to see why: status line, the headers that matter, the start of the body. */
export function transferEvidence({ facts, headers }: TransferFacts, body: string): string {
  const shown = ['content-type', 'location', 'set-cookie', 'server', 'strict-transport-security'];
  return clip(
    [
      `HTTP/${facts.http_version} ${facts.http_code}`,
      ...shown.flatMap((name) => (headers[name] ?? []).map((value) => `${name}: ${value}`)),
      body ? `\n${body.slice(0, 500)}` : '',
    ]
      .filter(Boolean)
      .join('\n'),
  );
}

export function noAnswerMessage(name: string, facts: CurlFacts): string {
  return `${name}: no answer (${facts.errormsg || `curl exit code ${facts.exitcode}`}).`;
}

export async function runHttpCheck(
  check: HttpCheck,
  name: string,
  context: CheckContext,
): Promise<CheckResult> {
  if (check.parallel !== undefined) return runParallelCheck(check, check.parallel, name, context);
  const command = learnerCurl(check);
  const { transfer, body } = await fetchInProbe(check, context);
  const { facts } = transfer;
  if (facts.exitcode !== 0) {
    return {
      name,
      passed: false,
      message: noAnswerMessage(name, facts),
      command,
      evidence: clip(`curl: (${facts.exitcode}) ${facts.errormsg ?? ''}`),
      failure: curlFailure(facts.exitcode),
    };
  }
  const problems = await httpProblems(check.expect, transfer, body);
  return {
    name,
    passed: problems.length === 0,
    message:
      problems.length === 0
        ? `${name}: answered as expected (HTTP/${facts.http_version} ${facts.http_code}).`
        : `${name}: ${sayProblems(problems)}.`,
    command,
    evidence: transferEvidence(transfer, body),
    failure: problems[0]?.failure,
  };
}

/**
 * curl's `--max-time` for a parallel check: once `withinMs` has passed, a transfer still running is
 * too slow whatever it does next, so curl stops there (rounded up to the tenth of a second; curl takes
 * decimals). Without `withinMs`, or past the check's own timeout, the check's usual limit.
 */
export function parallelCutOffSeconds(withinMs: number | undefined, timeoutMs: number): string {
  const usual = Number(maxTimeSeconds(timeoutMs));
  if (withinMs === undefined) return String(usual);
  return String(Math.min(usual, Math.ceil(withinMs / 100) / 10));
}

/**
 * `count` identical requests started at once (`--parallel-immediate` opens a connection for each):
 * a server that answers them side by side finishes all in about the time of one, while wsgiref's
 * one-at-a-time loop makes the last wait for every other. Decided from each transfer's `time_total`.
 */
async function runParallelCheck(
  check: HttpCheck,
  count: number,
  name: string,
  context: CheckContext,
): Promise<CheckResult> {
  const parallelArgs = ['-Z', '--parallel-immediate', '--parallel-max', String(count)];
  const args = requestArgs(check);
  const url = args.pop()!;
  const outputs = Array.from({ length: count }, () => ['-o', '/dev/null']).flat();
  const urls = Array.from({ length: count }, () => url);
  const maxTime = parallelCutOffSeconds(check.expect.withinMs, context.timeoutMs);
  const { withinMs } = check.expect;
  // Cut off at (or just past) `withinMs`: a transfer still running then is proved too slow.
  const cutAtWithin = withinMs !== undefined && Number(maxTime) * 1000 >= withinMs;
  const result = await context.sandbox.exec(context.sessionId, {
    argv: [
      'curl',
      '-q',
      '-s',
      '--no-progress-meter',
      ...parallelArgs,
      '-w',
      PARALLEL_WRITE_OUT,
      '--max-time',
      maxTime,
      ...outputs,
      ...args,
      ...urls,
    ],
    in: 'probe',
    timeoutMs: context.timeoutMs,
  });
  const transfers = parseCurlParallel(result.stderr);
  const command = `${shellQuote(['curl', '-s', ...parallelArgs, '-w', 'HTTP/%{http_version} %{http_code} in %{time_total} s\\n', ...outputs, ...args, ...urls])}`;
  const evidence = clip(
    transfers
      .map((facts, index) =>
        facts.exitcode === 0
          ? `request ${index + 1}: HTTP/${facts.http_version} ${facts.http_code} in ${facts.time_total.toFixed(3)} s`
          : `request ${index + 1}: curl: (${facts.exitcode}) ${facts.errormsg ?? ''}`,
      )
      .join('\n'),
  );
  const failed = transfers.find((facts) => facts.exitcode !== 0);
  const cutShort = transfers.filter((facts) => facts.exitcode === 28);
  if (
    cutAtWithin &&
    transfers.length === count &&
    cutShort.length > 0 &&
    cutShort.length === transfers.filter((facts) => facts.exitcode !== 0).length
  ) {
    return {
      name,
      passed: false,
      message: `${name}: ${cutShort.length} of ${count} requests sent at once had not finished after ${maxTime} s${Number(maxTime) * 1000 === withinMs ? ', the time allowed' : `, more than the ${withinMs! / 1000} s allowed`} (are they answered one at a time?).`,
      command,
      evidence,
      failure: 'slow',
    };
  }
  if (transfers.length !== count || failed) {
    return {
      name,
      passed: false,
      message: failed
        ? noAnswerMessage(name, failed)
        : `${name}: ${transfers.length} of ${count} requests finished.`,
      command,
      evidence,
      failure: failed ? curlFailure(failed.exitcode) : 'closed',
    };
  }
  const slowest = transfers.reduce((a, b) => (b.time_total > a.time_total ? b : a));
  const perRequest = { ...check.expect, withinMs: undefined };
  const each = await Promise.all(
    transfers.map((facts) => httpProblems(perRequest, { facts, headers: {} }, '')),
  );
  const problems = [...new Map(each.flat().map((problem) => [problem.text, problem])).values()];
  if (withinMs !== undefined && slowest.time_total * 1000 > withinMs) {
    problems.push({
      failure: 'slow',
      text: `the slowest of ${count} requests sent at once took ${slowest.time_total.toFixed(2)} s, more than ${withinMs / 1000} s (are they answered one at a time?)`,
    });
  }
  return {
    name,
    passed: problems.length === 0,
    message:
      problems.length === 0
        ? `${name}: ${count} requests at once all answered within ${slowest.time_total.toFixed(2)} s.`
        : `${name}: ${sayProblems(problems)}.`,
    command,
    evidence,
    failure: problems[0]?.failure,
  };
}

/** A request other than GET or HEAD may write: the lab is not the same after it. */
export function writes(method: string): boolean {
  return method !== 'GET' && method !== 'HEAD';
}

export const httpKind = defineCheckKind({
  key: 'http',
  summary:
    'one HTTP request by curl in the probe: status, HTTP version, headers, cookies, body, JSON, timing',
  schema: HttpCheckSchema,
  defaultName: (check) => `${check.method} ${check.url}`,
  run: runHttpCheck,
  mayChangeLab: (check) => writes(check.method),
  runsAlone: (check) => check.parallel !== undefined || check.expect.withinMs !== undefined,
});
