// Lesson 8 of the real course, done the way a learner does it: open the lesson, start the lab, write
// the daemon's start() (typed into the terminal as a here-document, where a learner would use the
// editor), start it with `python3 app.py` and press Check. That check hangs up every terminal of the
// sandbox, so the test then sees the terminal come back with a new shell in which the daemon still
// answers. Then stop() with SIGTERM, and the systemd unit verified offline.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SCREENSHOT_DIR } from '../support/browser';
import { usePlatformInBrowser } from '../support/e2e';
import { terminalText, typeInTerminal } from '../support/terminal-page';

const platform = usePlatformInBrowser('e2e-lesson-08', {
  env: { KEIKO_POOL_SIZE: '0' },
  viewport: { width: 1440, height: 900 },
});

/** app.py as the lesson leaves it after `start()` (step 1) and after `stop()` as well (step 2). */
function appPy(withStop: boolean): string {
  const stop = withStop
    ? `def stop():
    pid = daemon.pidfile.TimeoutPIDLockFile(PIDFILE).read_pid()
    if pid is None:
        sys.exit('not running: there is no pidfile')
    os.kill(pid, signal.SIGTERM)
    for _ in range(50):
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            print(f'stopped process {pid}')
            return
        time.sleep(0.1)
    sys.exit(f'process {pid} is still running')`
    : `def stop():
    print('stop: not written yet')`;
  return `import os
import signal
import sys
import time

import daemon
import daemon.pidfile
from bottle import route, run, template

APP_DIR = '/home/learner/app'
PIDFILE = os.path.join(APP_DIR, 'app.pid')
LOGFILE = os.path.join(APP_DIR, 'app.log')


@route('/hello/<name>')
def hello(name):
    with open('visitors.txt', 'a') as visitors:
        visitors.write(name + '\\n')
    return template('hello', name=name, pid=os.getpid())


def serve():
    run(host='127.0.0.1', port=8080)


def start():
    log = open(LOGFILE, 'a')
    context = daemon.DaemonContext(
        working_directory=APP_DIR,
        umask=0o022,
        pidfile=daemon.pidfile.TimeoutPIDLockFile(PIDFILE),
        stdout=log,
        stderr=log,
    )
    with context:
        serve()


${stop}


if __name__ == '__main__':
    command = sys.argv[1] if len(sys.argv) > 1 else 'start'
    if command == 'stop':
        stop()
    elif command == 'foreground':
        serve()
    else:
        start()`;
}

const UNIT = `[Unit]
Description=Bottle app of lesson 8
After=network.target

[Service]
Type=simple
User=learner
WorkingDirectory=/home/learner/app
ExecStart=/usr/bin/python3 /home/learner/app/app.py foreground
Restart=on-failure

[Install]
WantedBy=multi-user.target`;

/** Writes a file from the terminal with a quoted here-document, line by line as typed. */
async function writeFile(name: string, content: string): Promise<void> {
  await typeInTerminal(platform.page, `cat > ${name} <<'EOF'\n${content}\nEOF`);
  await platform.page.waitForTimeout(500);
}

async function checkPasses(id: string): Promise<void> {
  const step = platform.page.getByTestId(`step-${id}`);
  await step.getByRole('button', { name: 'Check' }).click();
  await expect
    .poll(async () => `${await step.getAttribute('data-passed')}\n${await step.innerText()}`, {
      timeout: 90_000,
    })
    .toMatch(/^true\n/);
}

async function connected(): Promise<void> {
  await expect
    .poll(() => platform.page.getByTestId('terminal-status').innerText(), { timeout: 120_000 })
    .toBe('Connected');
}

describe('lesson 8 in the browser', () => {
  it('opens the lesson and starts its lab', async () => {
    await platform.page.goto(`${platform.server.url}/courses/bottle/08-daemon`);
    expect(await platform.page.locator('h1').innerText()).toContain('Running Bottle as a daemon');
    await platform.page.getByRole('button', { name: 'Start lab' }).click();
    await connected();
  });

  it('starts the daemon, and its Check (which hangs up the terminal) passes', async () => {
    await writeFile('app.py', appPy(false));
    await typeInTerminal(platform.page, 'python3 app.py');
    await platform.page.waitForTimeout(3000);
    await checkPasses('run-as-daemon');
  });

  it('gets a new shell after the hang-up, in which the daemon still answers', async () => {
    await connected();
    await platform.page.waitForTimeout(1000);
    await typeInTerminal(platform.page, 'curl -s http://127.0.0.1:8080/hello/browser');
    await expect
      .poll(() => terminalText(platform.page), { timeout: 15_000 })
      .toContain('Hello browser, from process');
  });

  it('stops the daemon with SIGTERM through python3 app.py stop, starts it again, and Check passes', async () => {
    await writeFile('app.py', appPy(true));
    await typeInTerminal(platform.page, 'python3 app.py stop');
    await expect.poll(() => terminalText(platform.page), { timeout: 15_000 }).toMatch(/stopped process \d+/);
    await typeInTerminal(platform.page, 'python3 app.py');
    await platform.page.waitForTimeout(3000);
    await checkPasses('stop-sigterm');
  });

  it('writes the systemd unit, verifies it offline, and Check passes', async () => {
    await writeFile('bottle-app.service', UNIT);
    await typeInTerminal(platform.page, 'systemd-analyze verify bottle-app.service && echo unit-is-clean');
    await expect.poll(() => terminalText(platform.page), { timeout: 30_000 }).toContain('unit-is-clean');
    await checkPasses('systemd-unit');
    expect(await platform.page.locator('.lab-panel-head').innerText()).toContain('3 of 3 steps passed');
    await platform.page.screenshot({ path: path.join(SCREENSHOT_DIR, 'lesson-08-done.png') });
  });
});
