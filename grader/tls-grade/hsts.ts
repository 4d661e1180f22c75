/** SSL Labs wants a "long" max-age for A+; testssl.sh and the course use 180 days. */
export const HSTS_MIN_SECONDS = 15_552_000;

export type HstsFact =
  | { state: 'present'; maxAge: number | null; header: string }
  | { state: 'missing'; status: string }
  | { state: 'unknown'; reason: string };

/**
 * The Strict-Transport-Security of a response from `curl -D -` header text. Only the last response
 * counts (curl prints interim 1xx ones first), and only the first HSTS header in it, as RFC 6797
 * §8.1 tells a browser to do.
 */
export function parseHsts(headerText: string): HstsFact {
  const blocks = headerText
    .replaceAll('\r', '')
    .split(/\n\n+/)
    .map((block) => block.trim())
    .filter((block) => /^HTTP\/\S+ \d{3}/.test(block));
  const last = blocks.at(-1);
  if (last === undefined) return { state: 'unknown', reason: 'no HTTP response came back' };
  const lines = last.split('\n');
  const status = lines[0] ?? '';
  const header = lines
    .slice(1)
    .map((line) => /^strict-transport-security:\s*(.*)$/i.exec(line)?.[1])
    .find((value) => value !== undefined);
  if (header === undefined) return { state: 'missing', status };
  const maxAge = /(?:^|;)\s*max-age\s*=\s*"?(\d+)"?\s*(?:;|$)/i.exec(header)?.[1];
  return { state: 'present', maxAge: maxAge === undefined ? null : Number(maxAge), header: header.trim() };
}

/** Why this HSTS fact does not earn A+, or null when it does. */
export function hstsShortfall(hsts: HstsFact): string | null {
  switch (hsts.state) {
    case 'unknown':
      return `HSTS could not be read (${hsts.reason})`;
    case 'missing':
      return 'no Strict-Transport-Security header is sent';
    case 'present':
      if (hsts.maxAge === null)
        return `the Strict-Transport-Security header has no valid max-age ("${hsts.header}")`;
      return hsts.maxAge >= HSTS_MIN_SECONDS
        ? null
        : `HSTS max-age is ${hsts.maxAge} s, under ${HSTS_MIN_SECONDS} s (180 days)`;
  }
}
