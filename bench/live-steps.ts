import type { StepEvent } from '@/contract';
import { LiveSteps } from '@/platform';
import { ShellHub, type SessionManager } from '@/sandbox';
import { bareDocker, bareExec, sessionContainer } from './baselines/docker';
import { benchLearnerLabs } from './learner-labs';
import { timeRuns } from './stats';

const APP = `from bottle import route, run


@route('/hello')
def hello():
    return 'Hello World!'


run(port=8080)
`;

/**
 * The live path of lesson 1's first step, as the platform wires it (shell hub, live steps, lab
 * sessions, warm grader): the learner's `python3 app.py > server.log 2>&1 &` is typed into a real
 * shell; timed from the shell's "command finished" mark to the passing step event the page receives.
 * Between runs the server is stopped and the pass forgotten. Also times a bare `docker exec` of the
 * same curl in the probe, the baseline of every grader row.
 */
export async function liveStepTimes(
  manager: SessionManager,
  root: string,
  runs: number,
  log: (line: string) => void,
): Promise<{ live: number[]; bare: number[] }> {
  const { learnerLabs, store } = benchLearnerLabs(manager, root, 'live');
  const shells = new ShellHub(manager);
  const live = new LiveSteps({
    get: (id) => manager.get(id),
    firstUnfinishedStep: (session) => learnerLabs.firstUnfinishedStep(session),
    isGrading: (id) => learnerLabs.isGrading(id),
    checkStep: (session, stepId, options) => learnerLabs.checkStep(session, stepId, options),
    onStepEvent: (listener) => learnerLabs.onStepEvent(listener),
    warmGrader: (id) => learnerLabs.warmGrader(id),
  });
  let finishedAt = 0;
  shells.onCommandFinished(() => (finishedAt = performance.now()));
  shells.onCommandFinished((id) => live.nudge(id, 'command'));
  const { session } = await learnerLabs.startOrResume('bottle-01-hello', 'bench-live');
  try {
    const sh = (script: string) => manager.exec(session.id, { argv: ['bash', '-c', script] });
    await sh(`cat > /home/learner/app/app.py <<'PY'\n${APP}PY`);
    const terminal = await shells.attach(
      session.id,
      'bench',
      { sendOutput: (_chunk, done) => done(), sendEvent: () => {}, close: () => {} },
      { cols: 120, rows: 40 },
    );
    terminal.input('cd /home/learner/app\r');
    let resolvePass: (() => void) | undefined;
    const close = live.open(session.id, (event: StepEvent) => {
      if (event.type === 'step-done' && event.result.passed && event.result.stepId === 'hello-route')
        resolvePass?.();
    });
    log(`lesson 1 step 1 on the live path, ${runs} times`);
    const times: number[] = [];
    try {
      await timeRuns(runs, async () => {
        await sh(
          `pkill -u learner -f 'python3 (.*/)?app\\.py' || true; for _ in $(seq 50); do ss -ltnH 'sport = :8080' | grep -q . || break; sleep 0.1; done`,
        );
        store.db.prepare('DELETE FROM attempts').run();
        await new Promise((resolve) => setTimeout(resolve, 300));
        const passed = new Promise<void>((resolve, reject) => {
          resolvePass = resolve;
          setTimeout(() => reject(new Error('the step did not turn green within 20 s')), 20_000).unref();
        });
        finishedAt = 0;
        terminal.input('python3 app.py > server.log 2>&1 &\r');
        await passed;
        times.push(performance.now() - finishedAt);
        log(`  green ${Math.round(times.at(-1)!)} ms after the command finished`);
      });
    } finally {
      close();
      terminal.detach();
    }
    const probe = await sessionContainer(bareDocker(), session.id, 'probe');
    const bare = await timeRuns(runs, () =>
      bareExec(probe, ['curl', '-s', '-o', '/dev/null', '-w', '%{json}', 'http://127.0.0.1:8080/hello']),
    );
    return { live: times, bare };
  } finally {
    learnerLabs.grader.forget(session.id);
    await manager.stop(session.id).catch(() => {});
    store.close();
  }
}
