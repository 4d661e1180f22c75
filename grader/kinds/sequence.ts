import { z } from 'zod';
import { randomUUID } from 'node:crypto';
import { formatCookieJar, parseCookieJar, tamperCookieValue } from '../parsers';
import { curlFailure } from '../failure';
import { clip, type CheckResult } from '../result';
import type { CheckContext } from '../sandbox-port';
import {
  fetchInProbe,
  httpProblems,
  sayProblems,
  HttpRequestFields,
  learnerCurl,
  noAnswerMessage,
  transferEvidence,
  writes,
} from './http';
import { defineCheckKind } from './kind';

export const SequenceRequestSchema = z
  .object({
    ...HttpRequestFields,
    /** Send the jar's cookie of this name with its signature changed, as a forger would. */
    tamperCookie: z.string().min(1).optional(),
  })
  .strict();

export const SequenceCheckSchema = z
  .object({
    /** Requests in order, sharing one cookie jar: each sends the cookies the earlier ones were given. */
    requests: z.array(SequenceRequestSchema).min(1).max(20),
  })
  .strict();
export type SequenceCheck = z.infer<typeof SequenceCheckSchema>;
export type SequenceRequest = z.infer<typeof SequenceRequestSchema>;

/**
 * Requests in order sharing one cookie jar in the probe's /tmp, as a browser would keep its cookies.
 * A request with `tamperCookie` sends the jar's cookie of that name with its signature changed, to
 * prove a server rejects a forged value; the jar itself keeps the genuine one.
 */
export async function runSequenceCheck(
  check: SequenceCheck,
  name: string,
  context: CheckContext,
): Promise<CheckResult> {
  const jar = `/tmp/keiko-jar-${randomUUID()}`;
  const commands = ['rm -f jar.txt'];
  try {
    for (const [index, request] of check.requests.entries()) {
      const label = `request ${index + 1} (${request.method} ${new URL(request.url).pathname})`;
      let extra = ['-b', jar, '-c', jar];
      let learnerExtra = ['-b', 'jar.txt', '-c', 'jar.txt'];
      if (request.tamperCookie) {
        const cookies = parseCookieJar((await readProbeFile(context, jar)) ?? '');
        const cookie = cookies.find((candidate) => candidate.name === request.tamperCookie);
        if (!cookie) {
          return {
            name,
            passed: false,
            message: `${name}: the earlier requests were not given a cookie named "${request.tamperCookie}" to forge.`,
            command: commands.join('\n'),
            evidence: clip(formatCookieJar(cookies)),
            failure: 'cookie',
          };
        }
        const forged = tamperCookieValue(cookie.value);
        extra = ['-H', `Cookie: ${cookie.name}=${forged}`];
        learnerExtra = extra;
      }
      commands.push(learnerCurl(request, learnerExtra));
      const { transfer, body } = await fetchInProbe(request, context, extra);
      if (transfer.facts.exitcode !== 0) {
        return {
          name,
          passed: false,
          message: noAnswerMessage(`${name}, ${label}`, transfer.facts),
          command: commands.join('\n'),
          evidence: clip(`curl: (${transfer.facts.exitcode}) ${transfer.facts.errormsg ?? ''}`),
          failure: curlFailure(transfer.facts.exitcode),
        };
      }
      const problems = await httpProblems(request.expect, transfer, body);
      if (problems.length > 0) {
        return {
          name,
          passed: false,
          message: `${name}: ${label}: ${sayProblems(problems)}.`,
          command: commands.join('\n'),
          evidence: transferEvidence(transfer, body),
          failure: problems[0]!.failure,
        };
      }
    }
    return {
      name,
      passed: true,
      message: `${name}: all ${check.requests.length} requests answered as expected.`,
      command: commands.join('\n'),
      evidence: '',
    };
  } finally {
    await context.sandbox
      .exec(context.sessionId, { argv: ['rm', '-f', jar], in: 'probe', timeoutMs: 5000 })
      .catch(() => undefined);
  }
}

async function readProbeFile(context: CheckContext, file: string): Promise<string | undefined> {
  const result = await context.sandbox.exec(context.sessionId, {
    argv: ['cat', file],
    in: 'probe',
    timeoutMs: context.timeoutMs,
  });
  return result.exitCode === 0 ? result.stdout : undefined;
}

export const sequenceKind = defineCheckKind({
  key: 'sequence',
  summary: 'HTTP requests in order sharing one cookie jar, optionally with a forged cookie',
  schema: SequenceCheckSchema,
  defaultName: (check) => `${check.requests.length} requests in a row`,
  run: runSequenceCheck,
  mayChangeLab: (check) => check.requests.some((request) => writes(request.method)),
});
