// `keiko test-labs` on fresh sandboxes: every step of every lab fails before its solution and passes
// after it (and after all later ones). One test per lab, for the labs in labs/ and the grader's
// fixture labs, so a lab that breaks is named by its test and each stays within its own time limit.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT, runNode } from '../../support/cli';
import { tempDir } from '../../support/temp';

function labsIn(labsDir: string): string[] {
  return fs
    .readdirSync(path.join(PROJECT_ROOT, labsDir), { withFileTypes: true })
    .filter(
      (entry) =>
        entry.isDirectory() && fs.existsSync(path.join(PROJECT_ROOT, labsDir, entry.name, 'lab.yaml')),
    )
    .map((entry) => entry.name)
    .sort();
}

describe('keiko test-labs', () => {
  const data = tempDir('test-labs');
  afterAll(() => data.remove());

  // Two labs at a time: most of a lab's time is spent waiting on its sandbox, and the integration
  // project's maxConcurrency (vitest.config.ts) keeps it to two on this 2-core machine.
  const proveLab = it.concurrent;

  for (const labsDir of ['labs', path.join('tests', 'fixtures', 'labs')]) {
    for (const lab of labsIn(labsDir)) {
      proveLab(`proves ${labsDir}/${lab}: each step fails before its solution and passes after`, async () => {
        const result = await runNode(['test-labs', lab], {
          env: { KEIKO_DATA_DIR: data.dir, KEIKO_LABS_DIR: path.join(PROJECT_ROOT, labsDir) },
          timeoutMs: 600_000,
        });
        expect(result.stderr, lab).toBe('');
        expect(result.code, `${lab}\n${result.stdout}`).toBe(0);
      });
    }
  }

  it('reports a step whose check passes before its solution', async () => {
    const bad = tempDir('test-labs-bad');
    const labs = path.join(bad.dir, 'labs');
    fs.mkdirSync(path.join(labs, 'weak'), { recursive: true });
    fs.writeFileSync(
      path.join(labs, 'weak', 'lab.yaml'),
      'id: weak\ntitle: Weak\nimage: bottle\nsteps:\n  - id: always\n    title: Always true\n    checks:\n      - command: { run: "true" }\n    solution: fix.sh\n',
    );
    fs.writeFileSync(path.join(labs, 'weak', 'fix.sh'), 'true\n');
    const result = await runNode(['test-labs'], {
      env: { KEIKO_DATA_DIR: path.join(bad.dir, 'data'), KEIKO_LABS_DIR: labs },
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/weak\/always: passes before its solution ran/);
    bad.remove();
  });
});
