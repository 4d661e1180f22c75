import { describe, expect, it } from 'vitest';
import type { GradingTrigger, StepEvent } from '@/contract';
import type { SandboxSession } from '@/sandbox';
import { LiveSteps, type LiveStepsHost } from './live-steps';

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Lab sessions in miniature: steps pass when the test says so; each grading takes `gradeMs`. */
function fakeHost(gradeMs = 20) {
  /** What the learner has done in the lab, and which steps a grading has seen pass. */
  const done = new Set<string>();
  const passed = new Set<string>();
  const steps = ['one', 'two'];
  const gradings: { stepId: string; trigger: GradingTrigger }[] = [];
  let running = 0;
  let most = 0;
  const listeners: ((sessionId: string, event: StepEvent) => void)[] = [];
  const warmed: string[] = [];
  const host: LiveStepsHost & { finish(step: string): void } = {
    finish: (step) => done.add(step),
    get: (id) => (id === 's' ? ({ id: 's' } as SandboxSession) : undefined),
    firstUnfinishedStep: () => steps.find((step) => !passed.has(step)),
    isGrading: () => running > 0,
    checkStep: async (_session, stepId, { trigger }) => {
      running += 1;
      most = Math.max(most, running);
      gradings.push({ stepId, trigger });
      await wait(gradeMs);
      running -= 1;
      if (done.has(stepId)) passed.add(stepId);
      const result = { stepId, passed: done.has(stepId), durationMs: gradeMs, checks: [] };
      for (const listener of listeners) listener('s', { type: 'step-done', trigger, result });
      return result;
    },
    onStepEvent: (listener) => listeners.push(listener),
    warmGrader: (id) => warmed.push(id),
  };
  return { host, gradings, warmed, most: () => most };
}

describe('live steps', () => {
  it('get the grader ready when the lab is first opened, once however many pages and terminals open it', () => {
    const { host, warmed } = fakeHost();
    const live = new LiveSteps(host, { tickMs: 10_000, settleMs: 5, followUpForMs: 0, followUpMs: 10 });
    const closePage = live.open('s', () => {});
    const closeTerminal = live.open('s');
    expect(warmed).toEqual(['s']);
    closePage();
    closeTerminal();
  });

  it('grade nothing while no page or terminal has the lab open', async () => {
    const { host, gradings } = fakeHost();
    const live = new LiveSteps(host, { tickMs: 10_000, settleMs: 5, followUpForMs: 0, followUpMs: 10 });
    live.nudge('s', 'command');
    await wait(50);
    expect(gradings).toEqual([]);
  });

  it('re-check the first unfinished step when a command finishes, and tell the page', async () => {
    const { host, gradings } = fakeHost();
    const live = new LiveSteps(host, { tickMs: 10_000, settleMs: 5, followUpForMs: 0, followUpMs: 10 });
    const events: StepEvent[] = [];
    const close = live.open('s', (event) => events.push(event));
    await wait(60); // the check on opening
    host.finish('one');
    live.nudge('s', 'command');
    await wait(60);
    expect(gradings.slice(0, 2)).toEqual([
      { stepId: 'one', trigger: 'tick' },
      { stepId: 'one', trigger: 'command' },
    ]);
    // The pass makes it look at the next step at once.
    expect(gradings[2]).toEqual({ stepId: 'two', trigger: 'tick' });
    expect(events.some((event) => event.type === 'step-done' && event.result.passed)).toBe(true);
    close();
    expect(live.size).toBe(0);
  });

  it('run at most one grading per session, however many nudges come', async () => {
    const { host, gradings, most } = fakeHost(40);
    const live = new LiveSteps(host, { tickMs: 10_000, settleMs: 1, followUpForMs: 0, followUpMs: 10 });
    const close = live.open('s');
    for (let i = 0; i < 20; i += 1) {
      live.nudge('s', 'command');
      await wait(5);
    }
    await wait(150);
    close();
    expect(most()).toBe(1);
    // Twenty nudges in 100 ms make a few gradings, each after the last, not twenty.
    expect(gradings.length).toBeLessThanOrEqual(5);
  });

  it('re-check on the clock while open, and stop when the last viewer goes', async () => {
    const { host, gradings } = fakeHost(1);
    const live = new LiveSteps(host, { tickMs: 30, settleMs: 1, followUpForMs: 0, followUpMs: 10 });
    const closePage = live.open('s', () => {});
    const closeTerminal = live.open('s');
    await wait(100);
    closePage();
    const counted = gradings.length;
    expect(counted).toBeGreaterThanOrEqual(3);
    await wait(50);
    expect(gradings.length).toBeGreaterThan(counted); // the terminal still has it open
    closeTerminal();
    const last = gradings.length;
    await wait(80);
    expect(gradings.length).toBe(last);
  });

  it('after a command, look again soon while the step fails: a server started in the background is coming up', async () => {
    const { host, gradings } = fakeHost(1);
    const live = new LiveSteps(host, { tickMs: 10_000, settleMs: 1, followUpForMs: 200, followUpMs: 20 });
    const close = live.open('s');
    await wait(30);
    const before = gradings.length;
    live.nudge('s', 'command');
    await wait(120);
    host.finish('one'); // the server is listening now
    await wait(60);
    close();
    const after = gradings.slice(before);
    expect(after.length).toBeGreaterThanOrEqual(4);
    expect(after.every((grading) => grading.trigger === 'command' || grading.stepId === 'two')).toBe(true);
    expect(after.some((grading) => grading.stepId === 'two')).toBe(true);
  });
});
