// A learner who starts a server and asks at once should get the server's verdict, not "nothing
// listens": a check is tried again while a process the learner started a moment ago may still be
// binding, read from the engine's process table (ps's etimes on the host), and not otherwise.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CheckSchema, readProbeScripts, runCheck, type GraderSandbox } from '@/grader';
import type { ProcessInfo } from '@/sandbox';
import { PROJECT_ROOT } from '../../support/cli';
import { sandboxFixture, startLab, type SandboxFixture } from '../../support/sandbox';

const probeScripts = readProbeScripts(PROJECT_ROOT);
let fixture: SandboxFixture;
let sessionId: string;

beforeAll(async () => {
  fixture = sandboxFixture();
  sessionId = (await startLab(fixture)).id;
}, 120_000);
afterAll(() => fixture?.dispose());

/** The session manager, counting how often the grader looked at the lab's processes. */
function counting(): GraderSandbox & { looks: ProcessInfo[][] } {
  const looks: ProcessInfo[][] = [];
  return {
    looks,
    exec: (id, options) => fixture.manager.exec(id, options),
    readFile: (id, path) => fixture.manager.readFile(id, path),
    processes: async (id) => {
      const processes = await fixture.manager.processes(id);
      looks.push(processes);
      return processes;
    },
  };
}

const answers = (port: number) =>
  CheckSchema.parse({
    name: `port ${port} answers`,
    http: { url: `http://127.0.0.1:${port}/`, expect: { status: 200 } },
  });

/** A server that takes a second and a half to bind, started detached as the learner's `&` would. */
async function startSlowServer(port: number): Promise<void> {
  const server = `import time, http.server; time.sleep(1.5); http.server.HTTPServer(('127.0.0.1', ${port}), http.server.SimpleHTTPRequestHandler).serve_forever()`;
  const started = await fixture.manager.exec(sessionId, {
    argv: ['bash', '-c', `setsid nohup python3 -c "${server}" slow-to-bind > /dev/null 2>&1 < /dev/null &`],
  });
  expect(started.exitCode, started.stderr).toBe(0);
}

describe('a server still starting', () => {
  it('a check asked right after the server was started passes once it binds, without retries in the lab', async () => {
    await startSlowServer(8080);
    const sandbox = counting();
    const result = await runCheck(answers(8080), sandbox, sessionId, probeScripts);
    expect(result.passed, `${result.message}\n${result.evidence}`).toBe(true);
    // It was refused first and looked at the processes: the python3 it found had just started.
    expect(sandbox.looks.length).toBeGreaterThan(0);
    expect(sandbox.looks[0]!.some((p) => p.command.includes('slow-to-bind') && p.startedSecondsAgo < 3)).toBe(
      true,
    );
  });

  it('once nothing started recently, a refused connection is the answer at the first look', async () => {
    await new Promise((resolve) => setTimeout(resolve, 3_500));
    const sandbox = counting();
    const result = await runCheck(answers(8081), sandbox, sessionId, probeScripts);
    expect(result.failure).toBe('refused');
    expect(sandbox.looks).toHaveLength(1);
    expect(sandbox.looks[0]!.every((p) => p.pid === 1 || p.startedSecondsAgo >= 3)).toBe(true);
  });
});
