// A check kind is one module: a kind written outside grader/ and registered at run time is parsed,
// linted and graded like a built-in one, in a real sandbox.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lintContent, loadLabs } from '@/course';
import { gradeStep, readProbeScripts, registerCheckKind } from '@/grader';
import { fileModeKind } from '../../fixtures/kinds/file-mode';
import { PROJECT_ROOT } from '../../support/cli';
import { sandboxFixture, startLab, type SandboxFixture } from '../../support/sandbox';
import { tempDir } from '../../support/temp';

const labsDir = path.join(PROJECT_ROOT, 'tests/fixtures/kind-labs');
const lintPaths = () => ({
  contentDir: tempDir('no-content').dir,
  labsDir,
  imagesDir: path.join(PROJECT_ROOT, 'labs/images'),
});

describe('a check kind in one file', () => {
  it('is refused by lint, at the check’s line, while it is not registered', async () => {
    const report = await lintContent(lintPaths());
    const problem = report.problems.find((p) => p.file.endsWith('file-mode-demo/lab.yaml'));
    expect(problem?.line).toBe(11);
    expect(problem?.problem).toMatch(/"file-mode" is not a kind/);
  });

  describe('once registered', () => {
    let unregister: () => void;
    let fixture: SandboxFixture;
    beforeAll(() => {
      unregister = registerCheckKind(fileModeKind);
      fixture = sandboxFixture();
    });
    afterAll(async () => {
      unregister();
      await fixture.dispose();
    });

    it('lints clean and reports a wrong field of the new kind at its line', async () => {
      expect((await lintContent(lintPaths())).problems).toEqual([]);
      const broken = tempDir('kind-labs');
      fs.cpSync(labsDir, broken.dir, { recursive: true });
      const file = path.join(broken.dir, 'file-mode-demo/lab.yaml');
      fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('mode: "0600"', 'mode: "600"'));
      const report = await lintContent({ ...lintPaths(), labsDir: broken.dir });
      expect(report.problems.map((p) => [p.line, p.problem])).toEqual([
        [11, expect.stringMatching(/file-mode\.mode: four octal digits/)],
      ]);
    });

    it('grades a real sandbox: fails before the solution, passes after it', async () => {
      const [lab] = loadLabs(labsDir);
      const step = lab!.steps[0]!;
      const session = await startLab(fixture);
      const probeScripts = readProbeScripts(PROJECT_ROOT);

      const before = await gradeStep(step, fixture.manager, session.id, probeScripts);
      expect(before.passed).toBe(false);
      expect(before.checks[0]).toMatchObject({
        name: 'mode of /home/learner/app/key.pem',
        message: '/home/learner/app/key.pem is not there.',
      });

      const script = fs.readFileSync(path.join(lab!.dir, step.solution!), 'utf8');
      const solved = await fixture.manager.exec(session.id, { argv: ['bash', '-c', script] });
      expect(solved.exitCode, solved.stderr).toBe(0);
      const after = await gradeStep(step, fixture.manager, session.id, probeScripts);
      expect(after.checks[0]?.message).toBe('/home/learner/app/key.pem has mode 0600.');
      expect(after.passed).toBe(true);
    }, 120_000);
  });
});
