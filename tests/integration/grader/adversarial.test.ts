// Attack: the learner tries to fool the grader from inside the lab: a fake `curl` and `openssl` first
// on PATH, a ~/.curlrc that rewrites requests, an LD_PRELOAD library setting, shell aliases. Defence:
// checks that talk to a server run in the probe container, with its own filesystem and environment;
// the lab's files, PATH and shell configuration never reach it. Verdicts must not change. Grading goes
// through the warm probe agent, as the platform's does.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadLabs } from '@/course';
import { gradeStep, readProbeAgentSource, readProbeScripts, WarmGraderSandbox } from '@/grader';
import { PROJECT_ROOT } from '../../support/cli';
import { sandboxFixture, startLab, type SandboxFixture } from '../../support/sandbox';

const lab = loadLabs(path.join(PROJECT_ROOT, 'tests', 'fixtures', 'labs')).find(
  (l) => l.id === 'grading-demo',
)!;
const step = (id: string) => lab.steps.find((s) => s.id === id)!;
const probeScripts = readProbeScripts(PROJECT_ROOT);
let fixture: SandboxFixture;
let sessionId: string;
let grader: WarmGraderSandbox;

const sh = (script: string) => fixture.manager.exec(sessionId, { argv: ['bash', '-c', script] });

beforeAll(async () => {
  fixture = sandboxFixture();
  sessionId = (await startLab(fixture)).id;
  grader = new WarmGraderSandbox(fixture.manager, readProbeAgentSource(PROJECT_ROOT));
  await sh(`
    mkdir -p ~/bin
    printf '#!/bin/sh\\necho "HTTP/2 200 Hello keiko"; echo "{\\\\"http_code\\\\":200,\\\\"http_version\\\\":\\\\"2\\\\",\\\\"exitcode\\\\":0}" >&2\\n' > ~/bin/curl
    printf '#!/bin/sh\\necho "Protocol: TLSv1.3"\\n' > ~/bin/openssl
    cp ~/bin/curl ~/bin/node
    chmod +x ~/bin/*
    echo 'export PATH=$HOME/bin:$PATH' >> ~/.bashrc
    echo 'alias curl="echo 200"' >> ~/.bashrc
    echo 'url = "http://127.0.0.1:9/"' > ~/.curlrc
    echo 'export LD_PRELOAD=/home/learner/evil.so' >> ~/.bashrc
  `);
});
afterAll(() => {
  grader.forget(sessionId);
  return fixture.dispose();
});

describe('a learner cannot fool the grader', () => {
  it('the fakes are really in place in the lab', async () => {
    const result = await fixture.manager.exec(sessionId, {
      argv: ['bash', '-ic', 'type curl; command -v openssl'],
    });
    expect(result.stdout).toMatch(/curl is aliased/);
    expect(result.stdout).toMatch(/\/home\/learner\/bin\/openssl/);
  });

  it('with no server running, the http and TLS checks still fail', async () => {
    const server = await gradeStep({ ...step('server') }, grader, sessionId, probeScripts);
    expect(server.passed).toBe(false);
    const tls = await gradeStep(
      { ...step('tls'), checks: step('tls').checks.map((c) => ({ ...c, retries: 0 })) },
      grader,
      sessionId,
      probeScripts,
    );
    expect(tls.passed).toBe(false);
  }, 120_000);

  it('with the real server running, the same checks pass: the fakes neither help nor hurt', async () => {
    for (const id of ['hello-file', 'server', 'tls']) {
      const script = fs.readFileSync(path.join(lab.dir, step(id).solution!), 'utf8');
      const applied = await fixture.manager.exec(sessionId, { argv: ['bash', '-s'], stdin: script });
      expect(applied.exitCode, applied.stderr).toBe(0);
    }
    for (const id of ['server', 'tls']) {
      const result = await gradeStep({ ...step(id) }, grader, sessionId, probeScripts, { patient: true });
      expect(result.passed, JSON.stringify(result.checks, null, 2)).toBe(true);
    }
  }, 120_000);
});
