import { z } from 'zod';
import { normalizeRecordData, parseDigYaml } from '../parsers';
import { clip, type CheckResult } from '../result';
import type { CheckContext } from '../sandbox-port';
import { shellQuote } from '../shell-quote';
import { defineCheckKind } from './kind';

export const DNS_TYPES = ['A', 'AAAA', 'CAA', 'CNAME', 'MX', 'NS', 'SOA', 'TXT', 'SRV', 'PTR'] as const;

export const DnsCheckSchema = z
  .object({
    name: z.string().min(1),
    type: z.enum(DNS_TYPES),
    server: z.string().default('127.0.0.1'),
    port: z.number().int().min(1).max(65_535).default(53),
    expect: z
      .object({
        /** NOERROR, NXDOMAIN, SERVFAIL, REFUSED. */
        status: z.string().default('NOERROR'),
        /** The answer's records exactly, in dig's presentation form, compared as a set: `0 issue "letsencrypt.org"`. */
        answers: z.array(z.string().min(1)).optional(),
        /** Records that must be among the answers. */
        includes: z.array(z.string().min(1)).optional(),
        /** The answer comes from a server authoritative for the zone (the `aa` flag). */
        authoritative: z.boolean().optional(),
      })
      .strict()
      .default({ status: 'NOERROR' }),
  })
  .strict();
export type DnsCheck = z.infer<typeof DnsCheckSchema>;

/**
 * One query from the probe's dig. Decided on the status and the answer records compared as a set
 * (BIND rotates an RRset's order between answers), never on dig's exit code, which is 0 for NXDOMAIN.
 */
export async function runDnsCheck(
  check: DnsCheck,
  name: string,
  context: CheckContext,
): Promise<CheckResult> {
  const seconds = Math.max(1, Math.floor(context.timeoutMs / 2000));
  const query = [`@${check.server}`, '-p', String(check.port), check.name, check.type];
  const result = await context.sandbox.exec(context.sessionId, {
    argv: ['dig', ...query, '+yaml', '+tries=1', `+time=${seconds}`],
    in: 'probe',
    timeoutMs: context.timeoutMs,
  });
  const command = shellQuote(['dig', ...query, '+noall', '+comments', '+answer']);
  const facts = parseDigYaml(result.stdout);
  if (!facts.reached)
    return {
      name,
      passed: false,
      message: `${name}: no answer (${facts.error}).`,
      command,
      evidence: facts.error,
      failure: /refused/i.test(facts.error)
        ? 'refused'
        : /timed out|no servers/i.test(facts.error)
          ? 'timeout'
          : 'dns',
    };
  const got = facts.answers.map((record) => normalizeRecordData(record.data));
  const evidence = clip(
    [
      `status: ${facts.status}, flags: ${facts.flags.join(' ')}`,
      ...facts.answers.map(
        (record) => `${record.name} ${record.ttl} ${record.class} ${record.type} ${record.data}`,
      ),
    ].join('\n'),
  );
  const problems: string[] = [];
  if (facts.status !== check.expect.status)
    problems.push(`the status is ${facts.status}, not ${check.expect.status}`);
  if (check.expect.authoritative !== undefined && facts.flags.includes('aa') !== check.expect.authoritative)
    problems.push(
      check.expect.authoritative ? 'the answer is not authoritative' : 'the answer is authoritative',
    );
  const gotSet = new Set(got);
  const missing = [...(check.expect.answers ?? []), ...(check.expect.includes ?? [])]
    .map(normalizeRecordData)
    .filter((wanted) => !gotSet.has(wanted));
  if (missing.length > 0) problems.push(`missing ${listRecords(missing)}`);
  if (check.expect.answers) {
    const wanted = new Set(check.expect.answers.map(normalizeRecordData));
    const extra = got.filter((record) => !wanted.has(record));
    if (extra.length > 0) problems.push(`unexpected ${listRecords(extra)}`);
  }
  return {
    name,
    passed: problems.length === 0,
    message:
      problems.length === 0
        ? `${name}: ${check.type} ${check.name} answers as expected (${facts.answers.length} records).`
        : `${name}: ${problems.join('; ')}.`,
    command,
    evidence,
    failure: problems.length === 0 ? undefined : 'dns',
  };
}

/** Records in brackets (their data has quotes of its own), sorted: BIND rotates the answer's order. */
function listRecords(records: string[]): string {
  return [...new Set(records)]
    .sort()
    .map((record) => `[${record}]`)
    .join(', ');
}

export const dnsKind = defineCheckKind({
  key: 'dns',
  summary: 'a DNS query by dig in the probe: status, answers, authority',
  schema: DnsCheckSchema,
  defaultName: (check) => `${check.type} records of ${check.name}`,
  run: runDnsCheck,
});
