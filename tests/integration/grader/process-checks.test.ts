// The process check reads the engine's process list: a daemon is told from a child of a shell by its
// parent (the sandbox's init) and its missing terminal, whatever the learner's own `ps` says.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CheckSchema } from '@/grader';
import { runCheck } from '@/grader';
import { readProbeScripts } from '@/grader';
import { PROJECT_ROOT } from '../../support/cli';
import { sandboxFixture, startLab, type SandboxFixture } from '../../support/sandbox';

const probeScripts = readProbeScripts(PROJECT_ROOT);
let fixture: SandboxFixture;
let sessionId: string;

beforeAll(async () => {
  fixture = sandboxFixture();
  sessionId = (await startLab(fixture)).id;
  const started = await fixture.manager.exec(sessionId, {
    argv: [
      'bash',
      '-c',
      [
        // Double-forked and detached: re-parented to the sandbox's init, no terminal.
        "setsid nohup python3 -c 'import time; time.sleep(600)' daemon-like > /dev/null 2>&1 < /dev/null &",
        // Still the child of a shell that waits for it.
        'setsid nohup bash -c \'python3 -c "import time; time.sleep(600)" child-of-shell; wait\' > /dev/null 2>&1 < /dev/null &',
        'sleep 0.5',
      ].join('\n'),
    ],
  });
  expect(started.exitCode, started.stderr).toBe(0);
}, 120_000);
afterAll(() => fixture?.dispose());

const check = (process: Record<string, unknown>) =>
  runCheck(CheckSchema.parse({ name: 'the daemon', process }), fixture.manager, sessionId, probeScripts);

describe('process check', () => {
  it("passes a daemon whose parent is the sandbox's init and that has no terminal", async () => {
    const result = await check({ command: 'daemon-like', uid: 1000, noTerminal: true, parent: 'init|tini' });
    expect(result.passed, `${result.message}\n${result.evidence}`).toBe(true);
  });

  it('fails noTerminal for a process started from a terminal, though the host has no name for it', async () => {
    const pty = await fixture.manager.openShell(sessionId, { cols: 80, rows: 24 });
    pty.write("python3 -c 'import time; time.sleep(600)' from-a-terminal &\n");
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const result = await check({ command: 'from-a-terminal', noTerminal: true });
    expect(result.passed, result.evidence).toBe(false);
    expect(result.message).toMatch(/still attached to a terminal/);
    pty.write('exit\n');
  });

  it('fails a process still parented by a shell, naming its parent', async () => {
    const result = await check({ command: '^python3 .*child-of-shell', parent: 'init|tini' });
    expect(result.passed).toBe(false);
    expect(result.message).toMatch(/^its parent is "bash -c .*", not a process matching \/init\|tini\/\.$/);
  });

  it('fails a process run as another user', async () => {
    const result = await check({ command: 'daemon-like', uid: 0 });
    expect(result.message).toBe('the process runs as uid 1000, not 0.');
  });

  it('fails when nothing matches, with the process list as evidence', async () => {
    const result = await check({ command: 'gunicorn' });
    expect(result.message).toBe('no process matching /gunicorn/ is running.');
    expect(result.evidence).toContain('daemon-like');
  });
});
