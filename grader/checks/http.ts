import type { HttpCheck } from '@/course';
import { parseCurlJson } from '../parsers';
import { clip, type CheckResult } from '../result';
import type { CheckContext } from '../sandbox-port';
import { shellQuote } from '../shell-quote';

const VERSION_FLAGS = {
  '1.1': ['--http1.1'],
  '2': ['--http2'],
  '2-prior': ['--http2-prior-knowledge'],
} as const;

/** The request options both the grader's curl and the learner's copy of it share. */
function requestArgs(check: HttpCheck): string[] {
  return [
    ...(check.http ? VERSION_FLAGS[check.http] : []),
    ...(check.insecure ? ['-k'] : []),
    ...(check.resolve ? ['--resolve', check.resolve] : []),
    ...(check.method !== 'GET' ? ['-X', check.method] : []),
    ...Object.entries(check.headers).flatMap(([name, value]) => ['-H', `${name}: ${value}`]),
    ...(check.body !== undefined ? ['--data-binary', check.body] : []),
    check.url,
  ];
}

/**
 * An HTTP request from the probe's own curl (`-q`: no curlrc is read), deciding from curl's
 * `%{json}` write-out: the body goes to stdout and the facts to stderr, so neither can spoof the other.
 */
export async function runHttpCheck(
  check: HttpCheck,
  name: string,
  context: CheckContext,
): Promise<CheckResult> {
  const seconds = Math.max(1, Math.floor(context.timeoutMs / 1000) - 1);
  const argv = [
    'curl',
    '-q',
    '-s',
    '-o',
    '-',
    '-w',
    '%{stderr}%{json}',
    '--max-time',
    String(seconds),
    ...requestArgs(check),
  ];
  const result = await context.sandbox.exec(context.sessionId, {
    argv,
    in: 'probe',
    timeoutMs: context.timeoutMs,
  });
  const command = shellQuote(['curl', '-sS', '-i', ...requestArgs(check)]);
  const facts = parseCurlJson(result.stderr);
  const body = result.stdout;
  if (facts.exitcode !== 0) {
    return {
      name,
      passed: false,
      message: `${name}: no answer (${facts.errormsg || `curl exit code ${facts.exitcode}`}).`,
      command,
      evidence: clip(`curl: (${facts.exitcode}) ${facts.errormsg ?? ''}`),
    };
  }
  const expect = check.expect;
  const problems: string[] = [];
  if (expect.status !== undefined && facts.http_code !== expect.status)
    problems.push(`the status is ${facts.http_code}, not ${expect.status}`);
  if (expect.statusClass !== undefined && Math.floor(facts.http_code / 100) !== expect.statusClass) {
    problems.push(`the status is ${facts.http_code}, not a ${expect.statusClass}xx`);
  }
  if (expect.httpVersion !== undefined && facts.http_version !== expect.httpVersion) {
    problems.push(`it was served over HTTP/${facts.http_version}, not HTTP/${expect.httpVersion}`);
  }
  if (expect.bodyContains !== undefined && !body.includes(expect.bodyContains))
    problems.push(`the body does not contain "${expect.bodyContains}"`);
  if (expect.bodyMatches !== undefined && !new RegExp(expect.bodyMatches, 'm').test(body))
    problems.push(`the body does not match /${expect.bodyMatches}/`);
  if (expect.contentType !== undefined && !(facts.content_type ?? '').startsWith(expect.contentType)) {
    problems.push(`the content type is "${facts.content_type ?? 'none'}", not ${expect.contentType}`);
  }
  if (expect.locationPath !== undefined) {
    const location = facts.redirect_url ? new URL(facts.redirect_url) : undefined;
    const path = location ? `${location.pathname}${location.search}` : undefined;
    if (path !== expect.locationPath)
      problems.push(`it redirects to ${path ?? 'nowhere'}, not ${expect.locationPath}`);
  }
  const evidence = clip(
    [
      `HTTP/${facts.http_version} ${facts.http_code}`,
      facts.content_type ? `content-type: ${facts.content_type}` : '',
      facts.redirect_url ? `location: ${facts.redirect_url}` : '',
      body ? `\n${body.slice(0, 500)}` : '',
    ]
      .filter(Boolean)
      .join('\n'),
  );
  return {
    name,
    passed: problems.length === 0,
    message:
      problems.length === 0
        ? `${name}: answered as expected (HTTP/${facts.http_version} ${facts.http_code}).`
        : `${name}: ${problems.join('; ')}.`,
    command,
    evidence,
  };
}
