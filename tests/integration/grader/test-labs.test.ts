// `keiko test-labs` on fresh sandboxes: every step of every lab fails before its solution and passes
// after it (and after all later ones). Runs for the labs in labs/ and the grader's fixture labs.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT, runNode } from '../../support/cli';
import { tempDir } from '../../support/temp';

describe('keiko test-labs', () => {
  it("proves every lab in labs/ and the grader's fixture labs", async () => {
    const data = tempDir('test-labs');
    for (const labsDir of ['labs', path.join('tests', 'fixtures', 'labs')]) {
      const result = await runNode(['test-labs'], {
        env: { KEIKO_DATA_DIR: data.dir, KEIKO_LABS_DIR: path.join(PROJECT_ROOT, labsDir) },
        timeoutMs: 600_000,
      });
      expect(result.stderr, labsDir).toBe('');
      expect(result.code, `${labsDir}\n${result.stdout}`).toBe(0);
    }
    data.remove();
  });

  it('reports a step whose check passes before its solution', async () => {
    const data = tempDir('test-labs-bad');
    const labs = path.join(data.dir, 'labs');
    const { default: fs } = await import('node:fs');
    fs.mkdirSync(path.join(labs, 'weak'), { recursive: true });
    fs.writeFileSync(
      path.join(labs, 'weak', 'lab.yaml'),
      'id: weak\ntitle: Weak\nimage: bottle\nsteps:\n  - id: always\n    title: Always true\n    checks:\n      - command: { run: "true" }\n    solution: fix.sh\n',
    );
    fs.writeFileSync(path.join(labs, 'weak', 'fix.sh'), 'true\n');
    const result = await runNode(['test-labs'], {
      env: { KEIKO_DATA_DIR: path.join(data.dir, 'data'), KEIKO_LABS_DIR: labs },
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/weak\/always: passes before its solution ran/);
    data.remove();
  });
});
