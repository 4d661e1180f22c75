import { describe, expect, it } from 'vitest';
import type { ProcessInfo } from '@/sandbox';
import { justStarted } from './still-starting';

function process(pid: number, ppid: number, command: string, startedSecondsAgo: number): ProcessInfo {
  return { pid, ppid, uid: 1000, tty: '?', command, startedSecondsAgo };
}

const init = process(1, 0, 'sleep infinity', 600);
const terminal = process(7, 1, '/bin/bash -l', 300);

describe('justStarted: is a server of the lab still starting?', () => {
  it('the learner’s `python3 app.py &` of a moment ago is', () => {
    const app = process(40, 7, 'python3 app.py', 0.4);
    expect(justStarted([init, terminal, app])).toBe(app);
  });

  it('a daemon that detached a moment ago (its parent is init) is', () => {
    const apache = process(50, 1, '/usr/sbin/apache2 -k start', 1);
    expect(justStarted([init, terminal, apache])).toBe(apache);
  });

  it('a worker a long-running server spawned for new connections is not: that server is at work', () => {
    const apache = process(50, 1, '/usr/sbin/apache2 -k start', 120);
    const worker = process(90, 50, '/usr/sbin/apache2 -k start', 0.2);
    const fpm = process(60, 1, 'php-fpm: master process (/etc/php/8.2/fpm/php-fpm.conf)', 120);
    const fpmChild = process(91, 60, 'php-fpm: pool www', 0.1);
    expect(justStarted([init, terminal, apache, worker, fpm, fpmChild])).toBeUndefined();
  });

  it('the workers of a server that is itself new are', () => {
    const master = process(70, 7, 'gunicorn app:app -w 2', 0.5);
    const worker = process(71, 70, 'gunicorn app:app -w 2', 0.3);
    expect(justStarted([init, terminal, worker, master])).toBe(worker);
  });

  it('a shell, or anything older than the window, is not', () => {
    expect(
      justStarted([init, process(8, 1, '/bin/bash -l', 0.1), process(9, 8, 'python3 app.py', 30)]),
    ).toBeUndefined();
  });
});
