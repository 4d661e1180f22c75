import { z } from 'zod';
import { describeIssues, excerptOf, readJsonObject, ToolOutputError } from './json-text';

const count = z.number().int().min(0);
const seconds = z.number().min(0);

/**
 * What curl 7.88 prints for `-w '%{json}'`: every write-out variable, under curl's own names. A failed
 * transfer prints it too, with `exitcode` and `errormsg` set and the response facts at their zero
 * values, so a refused connection is facts, not an unreadable output. Keys other curl versions add
 * are dropped; every key typed here is one 7.88 always prints.
 */
export const CurlJsonSchema = z.object({
  url: z.string(),
  url_effective: z.string().describe('the last URL fetched: the redirect target when -L followed one'),
  urlnum: count,
  method: z.string(),
  scheme: z.string().nullable().describe('"HTTP" or "HTTPS", in capitals; null when no connection was made'),
  http_code: count.describe('the last response status; 0 when no response came'),
  response_code: count,
  http_connect: count,
  http_version: z
    .enum(['0', '1', '1.0', '1.1', '2', '3'])
    .describe(
      'the version the response came over, whatever was asked for; "1" for HTTP/1.0 (Python\'s wsgiref and http.server answer 1.0); "0" when no response came',
    ),
  content_type: z.string().nullable(),
  redirect_url: z
    .string()
    .nullable()
    .describe('the absolute Location of a redirect that was not followed; null otherwise'),
  num_redirects: count.describe('redirects followed (with -L)'),
  num_connects: count,
  num_headers: count,
  size_download: count.describe('body bytes'),
  size_header: count,
  size_request: count,
  size_upload: count,
  speed_download: z.number().min(0),
  speed_upload: z.number().min(0),
  time_namelookup: seconds,
  time_connect: seconds,
  time_appconnect: seconds,
  time_pretransfer: seconds,
  time_starttransfer: seconds,
  time_redirect: seconds,
  time_total: seconds,
  remote_ip: z.string().describe('empty when no connection was made'),
  remote_port: count,
  local_ip: z.string(),
  local_port: count,
  ssl_verify_result: count.describe("OpenSSL's verify result: 0 trusted, 18 self-signed; also set with -k"),
  proxy_ssl_verify_result: count,
  num_certs: count,
  certs: z.string().describe('the peer chain as text and PEM; filled in only in some runs, e.g. with -k'),
  exitcode: count.describe(
    "curl's exit code: 0, 7 refused, 28 timeout, 35 TLS handshake, 52 empty reply, 60 untrusted",
  ),
  errormsg: z.string().nullable(),
  filename_effective: z.string().nullable().describe('where -o wrote the body; null when no -o'),
  referer: z.string().nullable(),
  ftp_entry_path: z.string().nullable(),
  curl_version: z.string(),
});
export type CurlFacts = z.infer<typeof CurlJsonSchema>;

/** Thrown when text is not curl's `-w '%{json}'` write-out: the check could not be decided. */
export class NotCurlJsonError extends ToolOutputError {
  override name = 'NotCurlJsonError';
}

const HOW = "run curl with -w '%{json}' and keep the body off that stream (-o FILE, or -o - with %{stderr})";

/**
 * The facts of one curl transfer from the text its `-w '%{json}'` printed (stdout, or stderr when
 * the write-out started with `%{stderr}`). A failed transfer is still facts: look at `exitcode`.
 * Throws NotCurlJsonError, saying what the text was instead, when it is not that JSON.
 */
export function parseCurlJson(text: string): CurlFacts {
  const fail = (problem: string): never => {
    throw new NotCurlJsonError(
      `curl's output is not its -w '%{json}' write-out: ${problem}; ${HOW}. It begins ${excerptOf(text)}`,
      excerptOf(text),
    );
  };
  const reading = readJsonObject(text);
  if (!reading.ok) return fail(reading.problem);
  const parsed = CurlJsonSchema.safeParse(reading.value);
  if (!parsed.success)
    return fail(`it is a JSON object without curl's facts (${describeIssues(parsed.error)})`);
  return parsed.data;
}
