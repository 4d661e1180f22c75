import type { ConfigTestAnswer } from '@/contract';
import { parseApachectlTest } from './parsers';
import type { SandboxSession, LearnerFilesPort } from '@/sandbox';

/**
 * The editor's configuration test: after the learner saves an Apache configuration file, Apache's own
 * `apachectl -t` runs in the sandbox as the learner (exactly what they would type), and its verdict
 * comes back with the place it blames. Apache may blame another file than the one saved (an Include,
 * a site enabled through a link): `inSavedFile` says whether the place is the saved file itself,
 * following links in the sandbox, so the editor shows the error on its line or names file:line.
 */

/** Thrown when the sandbox has no apachectl: the lab's image has no Apache, so there is nothing to test. */
export class NoConfigTestError extends Error {
  override name = 'NoConfigTestError';
}

const OUTPUT_MAX_CHARS = 4000;

/**
 * `apachectl -t` with everything it prints; it sources /etc/apache2/envvars itself. Then, as `$1` and
 * `$2` (never spliced in), where the saved file and the blamed file really are (`realpath`).
 */
const TEST_SCRIPT = String.raw`command -v apachectl >/dev/null 2>&1 || exit 127
apachectl -t 2>&1
echo "keiko-exit=$?"`;
const SAME_FILE_SCRIPT = String.raw`a=$(realpath -m -- "$1") && b=$(realpath -m -- "$2") && [ "$a" = "$b" ]`;

export async function testApacheConfig(
  manager: Pick<LearnerFilesPort, 'exec'>,
  session: SandboxSession,
  savedPath: string,
): Promise<ConfigTestAnswer> {
  const run = await manager.exec(session.id, { argv: ['sh', '-c', TEST_SCRIPT], timeoutMs: 20_000 });
  if (run.exitCode === 127) {
    throw new NoConfigTestError(
      'This sandbox has no apachectl, so its Apache configuration cannot be tested.',
    );
  }
  const match = /\nkeiko-exit=(\d+)\s*$/.exec(`\n${run.stdout}`);
  if (!match) {
    throw new Error(`apachectl -t did not finish in session ${session.id}: ${run.stderr.trim().slice(-300)}`);
  }
  const output = `\n${run.stdout}`.slice(0, match.index).trim();
  const verdict = parseApachectlTest(output, Number(match[1]));
  let problem: ConfigTestAnswer['problem'] = null;
  if (verdict.problem) {
    const blamed = verdict.problem.file;
    const same =
      blamed !== null &&
      (blamed === savedPath ||
        (
          await manager.exec(session.id, {
            argv: ['sh', '-c', SAME_FILE_SCRIPT, 'keiko-config-test', savedPath, blamed],
            timeoutMs: 10_000,
          })
        ).exitCode === 0);
    problem = { ...verdict.problem, inSavedFile: same };
  }
  return {
    tool: 'apachectl -t',
    ok: verdict.ok,
    problem,
    warnings: verdict.warnings,
    output: output.length > OUTPUT_MAX_CHARS ? `${output.slice(0, OUTPUT_MAX_CHARS)}…` : output,
  };
}
