// Lesson 7 of the real course, done the way a learner does it: open the lesson, start the lab, type
// each command into the terminal (the app on wsgiref, then cheroot, then gunicorn, which first fails
// until run() is guarded), make the lesson's edits to app.py in the editor (the __main__ guard, the
// lock), press Check after each step, and see every step pass. No step is solved by the solve button.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SCREENSHOT_DIR } from '../support/browser';
import { PROJECT_ROOT } from '../support/cli';
import { usePlatformInBrowser } from '../support/e2e';
import { terminalText, typeInTerminal } from '../support/terminal-page';

const platform = usePlatformInBrowser('e2e-lesson-07', {
  env: { KEIKO_POOL_SIZE: '0' },
  viewport: { width: 1440, height: 900 },
});

const STARTER = fs.readFileSync(
  path.join(PROJECT_ROOT, 'labs', 'bottle-07-threads', 'starter', 'app.py'),
  'utf8',
);
const CHEROOT_RUN = "run(server='cheroot', host='127.0.0.1', port=8080, request_queue_size=64)";
const EIGHT_AT_ONCE = `curl --no-progress-meter -Z --parallel-immediate -o /dev/null -w '%{time_total}\\n' 'http://127.0.0.1:8080/slow?[1-8]'`;
const TWENTY_HITS = "curl --no-progress-meter -Z -o /dev/null -X POST 'http://127.0.0.1:8080/hit?[1-20]'";
const GUNICORN = 'gunicorn --threads 8 --bind 127.0.0.1:8080 app:app';

/** The editor's text as CodeMirror shows it (one line per .cm-line). */
function editorText(): Promise<string> {
  return platform.page.getByTestId('file-editor').locator('.cm-content').innerText();
}

/** Opens app.py from the lesson's FileRef in the editor. */
async function openAppInEditor(): Promise<void> {
  await platform.page
    .getByRole('button', { name: /app\.py/ })
    .first()
    .click();
  await expect.poll(editorText, { timeout: 30_000 }).toContain('def slow');
}

/** Saves the editor with Ctrl+S, waits until the file is in the sandbox, and goes back to the terminal. */
async function saveEditor(): Promise<void> {
  await platform.page.keyboard.press('Control+S');
  await expect
    .poll(() => platform.page.getByTestId('editor-status').innerText(), { timeout: 15_000 })
    .toMatch(/Saved/);
  await platform.page.getByRole('tab', { name: 'Terminal' }).click();
}

/** The lesson's step 3 edit: the last line, run(...), goes under `if __name__ == '__main__':`. */
async function guardRunInEditor(): Promise<void> {
  await openAppInEditor();
  await expect.poll(editorText, { timeout: 15_000 }).toContain(CHEROOT_RUN);
  await platform.page.getByTestId('file-editor').locator('.cm-content').click();
  // The file ends with a newline: the cursor's last line is empty, the run() line is the one above.
  await platform.page.keyboard.press('Control+End');
  await platform.page.keyboard.press('ArrowUp');
  await platform.page.keyboard.press('Home');
  await platform.page.keyboard.press('Shift+End');
  await platform.page.keyboard.insertText(`if __name__ == '__main__':\n    ${CHEROOT_RUN}`);
  await saveEditor();
}

/** The lesson's step 4 edits: import threading, a lock beside the counter, the read-write inside it. */
async function addLockInEditor(): Promise<void> {
  await openAppInEditor();
  expect(await editorText()).toContain("if __name__ == '__main__':");
  const locked = STARTER.replace('import time\n', 'import threading\nimport time\n')
    .replace(
      'hits = 0  # how many times /hit was called, shared by every request\n',
      'hits = 0  # how many times /hit was called, shared by every request\n' +
        'hits_lock = threading.Lock()  # one thread at a time may change hits\n',
    )
    .replace(
      "    current = hits     # read ...\n    time.sleep(0.01)   # ... do some work ...\n    hits = current + 1  # ... write\n    return f'{hits}\\n'\n",
      "    with hits_lock:\n        current = hits     # read ...\n        time.sleep(0.01)   # ... do some work ...\n        hits = current + 1  # ... write\n        return f'{hits}\\n'\n",
    )
    .replace("run(host='127.0.0.1', port=8080)\n", `if __name__ == '__main__':\n    ${CHEROOT_RUN}\n`);
  expect(locked).toContain('with hits_lock:');
  expect(locked).toContain('import threading');
  await platform.page.getByTestId('file-editor').locator('.cm-content').click();
  await platform.page.keyboard.press('Control+A');
  await platform.page.keyboard.insertText(locked);
  await saveEditor();
}

type Action =
  | string
  | { wait: number }
  | { until: RegExp; timeout?: number }
  /** Type the command again until its output matches, as a learner does while a server starts. */
  | { retry: string; until: RegExp; every?: number; timeout?: number }
  | { edit: () => Promise<void> };

const HITS = 'curl -i http://127.0.0.1:8080/hits';
/**
 * After a stop, wait until nothing listens on 8080 (an old server slow to exit would keep the port from
 * the new one), then print a token of this wait alone: the screen may still show older output.
 */
function portFree(tag: string): Action[] {
  return [
    `while ss -ltnH 'sport = :8080' | grep -q .; do sleep 0.2; done; echo "8080 free: ${tag}"`,
    { until: new RegExp(`^8080 free: ${tag}$`, 'm'), timeout: 30_000 },
  ];
}

/** The lesson's actions per step, in order. */
const STEPS: { id: string; actions: Action[] }[] = [
  {
    id: 'wsgiref',
    actions: [
      'python3 app.py > platform.server.log 2>&1 &',
      { retry: 'curl -i http://127.0.0.1:8080/slow', until: /WSGIServer[\s\S]*done/ },
      // The staircase: the eighth 0.2 s request waits for the seven before it (1.6 s).
      { retry: EIGHT_AT_ONCE, until: /^(1\.[4-9]|[2-9]\.)\d*$/m, every: 10_000 },
    ],
  },
  {
    id: 'cheroot',
    actions: [
      `sed -i "s/^run(host=/run(server='cheroot', host=/" app.py`,
      'pkill -f app.py',
      ...portFree('wsgiref-stopped'),
      'python3 app.py > platform.server.log 2>&1 &',
      { retry: HITS, until: /Server: Cheroot/ },
      EIGHT_AT_ONCE,
      { wait: 3000 },
      // cheroot's listen queue of 5 drops some of eight connections at once: the lesson lengthens it.
      "ss -ltn 'sport = :8080'",
      `sed -i "s/port=8080)$/port=8080, request_queue_size=64)/" app.py`,
      'pkill -f app.py',
      ...portFree('queue-5-stopped'),
      'clear',
      'python3 app.py > platform.server.log 2>&1 &',
      { retry: HITS, until: /Server: Cheroot/ },
      // The new server listens with a queue of 64 (ss's Send-Q), printed short: the panel's terminal wraps long lines.
      { retry: `echo "queue: $(ss -ltnH 'sport = :8080' | awk '{ print $3 }')"`, until: /^queue: 64$/m },
      EIGHT_AT_ONCE,
      { wait: 2000 },
    ],
  },
  {
    id: 'gunicorn',
    actions: [
      'pkill -f app.py',
      ...portFree('cheroot-stopped'),
      'clear',
      GUNICORN,
      // Without the guard, importing app.py starts a second server and the worker cannot boot.
      { until: /Worker failed to boot/, timeout: 60_000 },
      { edit: guardRunInEditor },
      `${GUNICORN} > platform.server.log 2>&1 &`,
      { retry: HITS, until: /Server: gunicorn/ },
    ],
  },
  {
    id: 'thread-safe',
    actions: [
      'clear',
      'curl -X POST http://127.0.0.1:8080/hit',
      'curl -X POST http://127.0.0.1:8080/hit',
      TWENTY_HITS,
      { wait: 3000 },
      'curl http://127.0.0.1:8080/hits',
      { wait: 1000 },
      { edit: addLockInEditor },
      'pkill gunicorn',
      ...portFree('gunicorn-stopped'),
      `${GUNICORN} > platform.server.log 2>&1 &`,
      { retry: HITS, until: /Server: gunicorn[\s\S]*\n0\s/ },
      TWENTY_HITS,
      { retry: 'echo "count: $(curl -s http://127.0.0.1:8080/hits)"', until: /^count: 20$/m },
    ],
  },
];

async function perform(action: Action): Promise<void> {
  if (typeof action === 'string') return typeInTerminal(platform.page, action);
  if ('wait' in action) return platform.page.waitForTimeout(action.wait);
  if ('edit' in action) return action.edit();
  if (!('retry' in action)) {
    await expect
      .poll(() => terminalText(platform.page), { timeout: action.timeout ?? 15_000 })
      .toMatch(action.until);
    return;
  }
  const deadline = Date.now() + (action.timeout ?? 90_000);
  for (;;) {
    await typeInTerminal(platform.page, 'clear');
    await typeInTerminal(platform.page, action.retry);
    const matched = await expect
      .poll(() => terminalText(platform.page), { timeout: action.every ?? 5000 })
      .toMatch(action.until)
      .then(
        () => true,
        () => false,
      );
    if (matched) return;
    if (Date.now() > deadline) throw new Error(`"${action.retry}" never printed ${String(action.until)}`);
  }
}

describe('lesson 7 in the browser', () => {
  it('opens the lesson and starts its lab', async () => {
    await platform.page.goto(`${platform.server.url}/courses/bottle/07-threaded-server`);
    expect(await platform.page.locator('h1').innerText()).toContain('A multithreaded WSGI server');
    await platform.page.getByRole('button', { name: 'Start lab' }).click();
    await expect
      .poll(() => platform.page.getByTestId('terminal-status').innerText(), { timeout: 120_000 })
      .toBe('Connected');
  });

  for (const { id, actions } of STEPS) {
    it(`does "${id}" as the lesson says and its Check passes`, async () => {
      for (const action of actions) await perform(action);
      const step = platform.page.getByTestId(`step-${id}`);
      await step.getByRole('button', { name: 'Check' }).click();
      await expect
        .poll(async () => `${await step.getAttribute('data-passed')}\n${await step.innerText()}`, {
          timeout: 90_000,
        })
        .toMatch(/^true\n/);
    });
  }

  it('shows every step passed', async () => {
    expect(await platform.page.locator('.lab-panel-head').innerText()).toContain('4 of 4 steps passed');
    await platform.page.screenshot({ path: path.join(SCREENSHOT_DIR, 'lesson-07-done.png') });
  });
});
