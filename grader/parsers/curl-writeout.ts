import { z } from 'zod';
import { parseCurlJson, type CurlFacts } from './curl-json';
import { describeIssues, excerptOf, readJsonObject, ToolOutputError } from './json-text';

/** The write-out of one transfer whose response headers a check needs: its facts, then its headers. */
export const TRANSFER_WRITE_OUT = '%{stderr}%{json}\\n%{header_json}';
/** The write-out of each transfer of a parallel run: one line of facts per transfer. */
export const PARALLEL_WRITE_OUT = '%{stderr}%{json}\\n';

/** Response headers as curl's `%{header_json}` lists them: lower-case names, every value of a repeated one. */
export type ResponseHeaders = Record<string, string[]>;

export interface TransferFacts {
  facts: CurlFacts;
  headers: ResponseHeaders;
}

const HeaderJsonSchema = z.record(z.string(), z.array(z.string()));

/**
 * Splits what `-w '%{stderr}%{json}\n%{header_json}'` wrote: curl prints `%{json}` on one line, so
 * the first line is the transfer's facts and the rest its last response's headers (`{}` when none came).
 */
export function parseCurlTransfer(text: string): TransferFacts {
  const newline = text.indexOf('\n');
  const facts = parseCurlJson(newline < 0 ? text : text.slice(0, newline));
  const rest = newline < 0 ? '' : text.slice(newline + 1);
  const reading = readJsonObject(rest);
  const headers = reading.ok ? HeaderJsonSchema.safeParse(reading.value) : undefined;
  if (!headers?.success) {
    const problem = !reading.ok ? reading.problem : describeIssues(headers!.error);
    throw new ToolOutputError(
      `curl's %{header_json} after its facts is unreadable: ${problem}. It begins ${excerptOf(rest)}`,
      excerptOf(rest),
    );
  }
  return { facts, headers: headers.data };
}

/** The facts of every transfer of `curl -Z … -w '%{stderr}%{json}\n'`, in the order they finished. */
export function parseCurlParallel(text: string): CurlFacts[] {
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => parseCurlJson(line));
}

export interface SetCookie {
  name: string;
  value: string;
  /** Attribute names in lower case; flags such as `httponly` have the value `true`. */
  attributes: Record<string, string | true>;
}

/** One `Set-Cookie` header value, as a browser would read its name, value and attributes. */
export function parseSetCookie(header: string): SetCookie {
  const [pair = '', ...parts] = header.split(';');
  const equals = pair.indexOf('=');
  const attributes: Record<string, string | true> = {};
  for (const part of parts) {
    const trimmed = part.trim();
    if (!trimmed) continue;
    const at = trimmed.indexOf('=');
    if (at < 0) attributes[trimmed.toLowerCase()] = true;
    else attributes[trimmed.slice(0, at).trim().toLowerCase()] = trimmed.slice(at + 1).trim();
  }
  return {
    name: (equals < 0 ? pair : pair.slice(0, equals)).trim(),
    value: equals < 0 ? '' : pair.slice(equals + 1).trim(),
    attributes,
  };
}

export interface JarCookie {
  domain: string;
  httpOnly: boolean;
  path: string;
  secure: boolean;
  /** Seconds since the epoch; 0 for a session cookie. */
  expires: number;
  name: string;
  value: string;
}

/** The cookies of a curl cookie jar (Netscape format; `#HttpOnly_` marks an HttpOnly cookie, not a comment). */
export function parseCookieJar(text: string): JarCookie[] {
  const cookies: JarCookie[] = [];
  for (const rawLine of text.split('\n')) {
    let line = rawLine.replace(/\r$/, '');
    const httpOnly = line.startsWith('#HttpOnly_');
    if (httpOnly) line = line.slice('#HttpOnly_'.length);
    else if (line.startsWith('#') || line.trim() === '') continue;
    const fields = line.split('\t');
    if (fields.length < 7) continue;
    const [domain, , path, secure, expires, name, ...value] = fields;
    cookies.push({
      domain: domain!,
      httpOnly,
      path: path!,
      secure: secure === 'TRUE',
      expires: Number(expires),
      name: name!,
      value: value.join('\t'),
    });
  }
  return cookies;
}

/** Writes cookies back in the Netscape format curl reads with `-b`. */
export function formatCookieJar(cookies: JarCookie[]): string {
  const lines = cookies.map((cookie) =>
    [
      `${cookie.httpOnly ? '#HttpOnly_' : ''}${cookie.domain}`,
      cookie.domain.startsWith('.') ? 'TRUE' : 'FALSE',
      cookie.path,
      cookie.secure ? 'TRUE' : 'FALSE',
      String(cookie.expires),
      cookie.name,
      cookie.value,
    ].join('\t'),
  );
  return `# Netscape HTTP Cookie File\n${lines.join('\n')}\n`;
}

/**
 * The value with one character of its signature changed, as an attacker would forge it: the middle
 * character is swapped for another of the same alphabet, so the value still looks well-formed.
 */
export function tamperCookieValue(value: string): string {
  if (value === '') return 'forged';
  const quoted = value.length >= 2 && value.startsWith('"') && value.endsWith('"');
  const inner = quoted ? value.slice(1, -1) : value;
  // Bottle signs as `!signature?payload`: change the signature, which a server must check.
  const end = inner.startsWith('!') && inner.includes('?') ? inner.indexOf('?') : inner.length;
  const start = inner.startsWith('!') ? 1 : 0;
  const at = start + Math.floor((end - start) / 2);
  const original = inner[at] ?? 'A';
  const replacement = original === 'A' ? 'B' : 'A';
  const forged = `${inner.slice(0, at)}${replacement}${inner.slice(at + 1)}`;
  return quoted ? `"${forged}"` : forged;
}
