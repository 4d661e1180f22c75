// Lesson 1 done the way a learner does it, without pressing Check once: write app.py in the
// terminal, start the server in the background, and each step turns green by itself (the page's
// event stream keeps the platform re-checking while the lab is open). The screenshot of the finished
// page is kept in the repository (docs/images/lesson-01-live.png, shown in the README) and refreshed
// by this test.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SCREENSHOT_DIR } from '../support/browser';
import { usePlatformInBrowser } from '../support/e2e';
import { typeInTerminal } from '../support/terminal-page';

const platform = usePlatformInBrowser('e2e-lesson-01-live', {
  env: { KEIKO_POOL_SIZE: '0' },
  viewport: { width: 1440, height: 900 },
});
const README_SCREENSHOT = path.resolve(
  import.meta.dirname,
  '..',
  '..',
  'docs',
  'images',
  'lesson-01-live.png',
);
/** Every Check request the page sends: there must be none. */
const checkRequests: string[] = [];

function appPy(routes: 'hello' | 'name', host?: string): string {
  const name =
    routes === 'name'
      ? `

@route('/hello/<name>')
def hello_name(name):
    return f'Hello {name}!'
`
      : '';
  return `from bottle import route, run


@route('/hello')
def hello():
    return 'Hello World!'
${name}

run(${host ? `host='${host}', ` : ''}port=8080)`;
}

/** Writes app.py from the terminal with a quoted here-document, as typed. */
async function writeApp(content: string): Promise<void> {
  await typeInTerminal(platform.page, `cat > app.py <<'EOF'\n${content}\nEOF`);
}

/** Waits for the step to turn green by itself; returns how long it took from `since`. */
async function turnsGreen(stepId: string, since: number): Promise<number> {
  const step = platform.page.getByTestId(`step-${stepId}`);
  await expect.poll(() => step.getAttribute('data-passed'), { timeout: 30_000, interval: 100 }).toBe('true');
  return Date.now() - since;
}

describe('lesson 1 in the browser, without pressing Check', () => {
  it('opens the lesson and starts its lab', async () => {
    platform.page.on('request', (request) => {
      if (request.method() === 'POST' && request.url().endsWith('/check')) checkRequests.push(request.url());
    });
    await platform.page.goto(`${platform.server.url}/courses/bottle/01-starting-bottle`);
    await platform.page.getByRole('button', { name: 'Start lab' }).click();
    await expect
      .poll(() => platform.page.getByTestId('terminal-status').innerText(), { timeout: 120_000 })
      .toBe('Connected');
    expect(await platform.page.getByTestId('step-hello-route').getAttribute('aria-current')).toBe('step');
  });

  it('step 1 turns green once the server with /hello runs, and the next step is marked', async () => {
    await writeApp(appPy('hello'));
    const started = Date.now();
    await typeInTerminal(platform.page, 'python3 app.py > server.log 2>&1 &');
    const took = await turnsGreen('hello-route', started);
    console.log(`lesson 1 step 1 green ${took} ms after the command`);
    await expect
      .poll(() => platform.page.getByTestId('step-hello-name').getAttribute('aria-current'))
      .toBe('step');
  });

  it('step 2 turns green after the server is restarted with the /hello/<name> route', async () => {
    await writeApp(appPy('name'));
    const started = Date.now();
    await typeInTerminal(platform.page, 'kill %1; wait; python3 app.py > server.log 2>&1 &');
    console.log(`lesson 1 step 2 green ${await turnsGreen('hello-name', started)} ms after the command`);
  });

  it('step 3 turns green once it listens on every address; the page is kept for the README', async () => {
    await writeApp(appPy('name', '0.0.0.0'));
    const started = Date.now();
    await typeInTerminal(platform.page, 'kill %1; wait; python3 app.py > server.log 2>&1 &');
    console.log(`lesson 1 step 3 green ${await turnsGreen('all-interfaces', started)} ms after the command`);
    expect(await platform.page.locator('.lab-panel-head').innerText()).toContain('3 of 3 steps passed');
    expect(checkRequests).toEqual([]);
    await platform.page.waitForTimeout(300); // mid-animation: the last step flashing green
    await platform.page.screenshot({ path: path.join(SCREENSHOT_DIR, 'lesson-01-live.png') });
    fs.copyFileSync(path.join(SCREENSHOT_DIR, 'lesson-01-live.png'), README_SCREENSHOT);
  });
});
