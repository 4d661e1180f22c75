// Attack: ask for the same Check twenty times at once, or start a process with a 200 KiB command line
// and let a lab's process pattern chew on it: every attempt was graded and stored whole, one behind
// another, and the pattern ran on the server's main thread, stalling every other learner.
// Defence: one grading per session at a time (a repeat of the running step shares its result), a
// per-session rate with 429, evidence clipped before it is stored, and lab patterns run off the main
// thread on input cut to a bound, with a deadline.
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../support/server';
import { tempDir } from '../../support/temp';

const data = tempDir('check-spam');
const labs = path.join(data.dir, 'labs');
let server: RunningServer;
let session: { id: string; token: string };

beforeAll(async () => {
  fs.mkdirSync(path.join(labs, 'spam', 'solutions'), { recursive: true });
  fs.writeFileSync(
    path.join(labs, 'spam', 'lab.yaml'),
    [
      'id: spam',
      'title: Spam',
      'image: bottle',
      'workdir: /home/learner/app',
      'steps:',
      '  - id: proc',
      '    title: A Python app runs',
      '    checks:',
      '      - process: { command: "python3 (.*/)?app\\\\.py" }',
      '    solution: solutions/proc.sh',
      '  - id: slow',
      '    title: A check that takes three seconds',
      '    checks:',
      '      - command: { run: "sleep 3; exit 1" }',
      '    solution: solutions/proc.sh',
      '',
    ].join('\n'),
  );
  // Two arguments of 100 KiB of slashes: the shipped pattern's worst case before it was bounded.
  fs.writeFileSync(
    path.join(labs, 'spam', 'solutions', 'proc.sh'),
    'long=$(head -c 102400 /dev/zero | tr "\\0" /)\nnohup python3 -c "import time; time.sleep(600)" /home/learner/app/app.py "$long" "$long" >/dev/null 2>&1 &\nsleep 1\n',
  );
  server = await startServer({
    KEIKO_DATA_DIR: path.join(data.dir, 'data'),
    KEIKO_LABS_DIR: labs,
    KEIKO_POOL_SIZE: '0',
  });
  session = (await (
    await fetch(`${server.url}/api/labs/spam/sessions`, { method: 'POST' })
  ).json()) as typeof session;
});
afterAll(async () => {
  await server?.stop();
  data.remove();
});

const check = (step = 'proc') =>
  fetch(`${server.url}/api/sessions/${session.id}/steps/${step}/check`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${session.token}` },
  });

describe('check spam', () => {
  it('twenty simultaneous Checks of one step are one grading, stored once', async () => {
    const answers = await Promise.all(Array.from({ length: 20 }, () => check('slow')));
    expect(answers.every((answer) => answer.status === 200)).toBe(true);
    const results = (await Promise.all(answers.map((answer) => answer.json()))) as { durationMs: number }[];
    expect(new Set(results.map((result) => result.durationMs)).size).toBe(1);
    const db = new Database(path.join(data.dir, 'data', 'keiko.db'), { readonly: true });
    const { n } = db
      .prepare("SELECT COUNT(*) AS n FROM attempts WHERE session_id = ? AND step_id = 'slow'")
      .get(session.id) as {
      n: number;
    };
    db.close();
    expect(n).toBe(1);
  });

  it('a 200 KiB command line neither stalls the server nor is stored whole', async () => {
    const solve = await fetch(`${server.url}/api/sessions/${session.id}/steps/proc/solve`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${session.token}` },
    });
    expect(solve.status).toBe(200);
    let checkDone = false;
    const graded = check().then(async (answer) => {
      checkDone = true;
      return (await answer.json()) as { passed: boolean; checks: { evidence: string }[] };
    });
    // While the grading runs, the server still answers other requests.
    const health = await fetch(`${server.url}/api/labs`);
    expect(health.status).toBe(200);
    const result = await graded;
    expect(checkDone).toBe(true);
    expect(result.passed).toBe(true);
    expect(Buffer.byteLength(result.checks[0]!.evidence)).toBeLessThan(9 * 1024);
    expect(result.checks[0]!.evidence).toMatch(/more bytes cut/);
  });
});
