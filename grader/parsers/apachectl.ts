import { z } from 'zod';
import { ApacheConfigProblemSchema, type ApacheConfigProblem } from '@/contract';

/**
 * What `apachectl -t` (Apache 2.4's configuration test) prints, read into one fact: does the
 * configuration parse, and if not, which file and line Apache blames and why.
 *
 * Apache reports a bad configuration in two shapes (captured outputs in tests/fixtures/apachectl/):
 *
 * - while it processes directives (an unknown or misspelled directive, a bad argument):
 *   `AH00526: Syntax error on line 3 of /etc/apache2/sites-enabled/site.conf:` and the reason on
 *   the next line;
 * - while it reads the files (an unclosed `<VirtualHost>`, an Include of a missing file), one line
 *   that chains every Include on the way: `apache2: Syntax error on line 225 of
 *   /etc/apache2/apache2.conf: Syntax error on line 1 of /etc/apache2/sites-enabled/x.conf: …`,
 *   sometimes ending in `/path:line: <VirtualHost> was not closed.`
 *
 * The innermost place is the one to show: the file the learner wrote, not the apache2.conf line that
 * includes it. Warnings (AH00558, no ServerName) do not fail the test and are kept apart.
 */

export const ApacheConfigTestSchema = z.object({
  ok: z.boolean(),
  /** Why it failed; null when `ok`. */
  problem: ApacheConfigProblemSchema.nullable(),
  /** Lines that are warnings only (the test still passes with them). */
  warnings: z.array(z.string()),
});
export type ApacheConfigTest = z.infer<typeof ApacheConfigTestSchema>;

const SYNTAX_ERROR = /Syntax error on line (\d+) of (\/[^:\n]*):[ \t]*/g;
/** `/etc/apache2/sites-enabled/x.conf:1: <VirtualHost> was not closed.` and the like. */
const PLACED_MESSAGE = /^(\/[^:\n]+):(\d+): *(.+)$/s;
/** The lines apachectl adds after any failure, which say nothing about the cause. */
const TRAILER = /^(Action '[^']*' failed\.|The Apache error log may have more information\.)$/;
/** `[Mon Dec 01 10:00:00.000000 2025] [core:warn] [pid 12] AH00111: …`: a logged line's prefix. */
const LOG_PREFIX = /^\[[^\]]*\] \[[\w:]+\] (\[pid \d+(:tid \d+)?\] )?/;

/** Reads `apachectl -t`'s output (stdout and stderr together) and its exit code. */
export function parseApachectlTest(output: string, exitCode: number): ApacheConfigTest {
  const lines = output
    .split('\n')
    .map((line) => line.replace(/\r$/, '').trimEnd())
    .filter((line) => line.trim() !== '');
  if (exitCode === 0) {
    return { ok: true, problem: null, warnings: lines.filter((line) => line.trim() !== 'Syntax OK') };
  }
  const meaningful = lines.filter((line) => !TRAILER.test(line.trim()));
  return { ok: false, problem: problemOf(meaningful), warnings: [] };
}

function problemOf(lines: string[]): ApacheConfigProblem {
  const at = lines.findIndex((line) => new RegExp(SYNTAX_ERROR.source).test(line));
  if (at === -1) {
    // No place named (a bad user, a module that will not load): the first line that is an error.
    const first = lines.map((line) => line.replace(LOG_PREFIX, '').trim()).find(Boolean);
    return { file: null, line: null, message: first ?? 'apachectl -t failed without saying why.' };
  }
  const text = lines[at]!;
  const places = [...text.matchAll(SYNTAX_ERROR)];
  const innermost = places[places.length - 1]!;
  let file: string | null = innermost[2]!;
  let line: number | null = Number(innermost[1]);
  // The reason follows the innermost place on the same line, or (AH00526) on the lines after it.
  let message = text.slice(innermost.index! + innermost[0].length).trim();
  if (!message)
    message = lines
      .slice(at + 1)
      .join(' ')
      .trim();
  const placed = PLACED_MESSAGE.exec(message);
  if (placed) {
    file = placed[1]!;
    line = Number(placed[2]);
    message = placed[3]!.trim();
  }
  return { file, line, message: message || 'Syntax error' };
}
