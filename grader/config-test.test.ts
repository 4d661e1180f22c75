import { describe, expect, it } from 'vitest';
import type { SandboxSession } from '@/sandbox';
import { ConfigTestAnswerSchema } from '@/contract';
import { NoConfigTestError, testApacheConfig } from './config-test';

const session = { id: 's_test' } as SandboxSession;
const AH00526 = [
  'AH00526: Syntax error on line 4 of /etc/apache2/sites-enabled/h2.conf:',
  "Invalid command 'Protocolz', perhaps misspelled or defined by a module not included in the server configuration",
  "Action '-t' failed.",
  'The Apache error log may have more information.',
].join('\n');

/** A session manager whose sandbox prints `output` for apachectl -t and says whether two paths are one file. */
function sandbox(output: string, exit: number, sameFile = true) {
  const calls: string[][] = [];
  return {
    calls,
    manager: {
      exec: async (_id: string, options: { argv: string[] }) => {
        calls.push(options.argv);
        if (options.argv.includes('keiko-config-test')) {
          return { exitCode: sameFile ? 0 : 1, stdout: '', stderr: '' };
        }
        return { exitCode: 0, stdout: `${output}\nkeiko-exit=${exit}\n`, stderr: '' };
      },
    },
  };
}

describe('testApacheConfig', () => {
  it('passes on Syntax OK and keeps the warnings', async () => {
    const { manager } = sandbox('AH00558: apache2: Could not reliably determine…\nSyntax OK', 0);
    const answer = ConfigTestAnswerSchema.parse(
      await testApacheConfig(manager as never, session, '/etc/apache2/sites-available/h2.conf'),
    );
    expect(answer).toMatchObject({ tool: 'apachectl -t', ok: true, problem: null });
    expect(answer.warnings).toHaveLength(1);
  });

  it('puts an error in the saved file (reached through sites-enabled) on its line', async () => {
    const { manager, calls } = sandbox(AH00526, 1, true);
    const answer = await testApacheConfig(manager as never, session, '/etc/apache2/sites-available/h2.conf');
    expect(answer.problem).toMatchObject({
      file: '/etc/apache2/sites-enabled/h2.conf',
      line: 4,
      inSavedFile: true,
    });
    // The paths go to the sandbox as arguments, never inside the script.
    expect(calls[1]!.slice(-2)).toEqual([
      '/etc/apache2/sites-available/h2.conf',
      '/etc/apache2/sites-enabled/h2.conf',
    ]);
  });

  it('says when the error is in another file', async () => {
    const { manager } = sandbox(AH00526, 1, false);
    const answer = await testApacheConfig(manager as never, session, '/etc/apache2/ports.conf');
    expect(answer.problem).toMatchObject({ line: 4, inSavedFile: false });
  });

  it('refuses a sandbox without apachectl', async () => {
    const manager = { exec: async () => ({ exitCode: 127, stdout: '', stderr: '' }) };
    await expect(testApacheConfig(manager as never, session, '/etc/apache2/x.conf')).rejects.toBeInstanceOf(
      NoConfigTestError,
    );
  });
});
