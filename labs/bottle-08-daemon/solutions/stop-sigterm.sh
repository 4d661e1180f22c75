# Step 2: `python3 app.py stop` sends SIGTERM to the process the pidfile names and waits until it is
# gone (python-daemon removes the pidfile on the way out); then the daemon is started again.
set -e
cd /home/learner/app
cat > app.py <<'PY'
# Lesson 8: a Bottle app that keeps serving after you log out.
import os
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
    # Both paths below are relative: they are looked up in the process's working directory.
    with open('visitors.txt', 'a') as visitors:
        visitors.write(name + '\n')
    return template('hello', name=name, pid=os.getpid())  # views/hello.tpl


def serve():
    run(host='127.0.0.1', port=8080)


def start():
    log = open(LOGFILE, 'a')
    context = daemon.DaemonContext(
        working_directory=APP_DIR,  # the default, '/', has no views/ folder
        umask=0o022,  # the default, 0, makes every new file writable by anyone
        pidfile=daemon.pidfile.TimeoutPIDLockFile(PIDFILE),
        stdout=log,
        stderr=log,
    )
    with context:
        serve()


def stop():
    pid = daemon.pidfile.TimeoutPIDLockFile(PIDFILE).read_pid()
    if pid is None:
        sys.exit('not running: there is no pidfile')
    os.kill(pid, signal.SIGTERM)
    for _ in range(50):  # wait up to 5 seconds
        try:
            os.kill(pid, 0)  # signal 0 sends nothing: it only asks whether the process exists
        except ProcessLookupError:
            print(f'stopped process {pid}')
            return
        time.sleep(0.1)
    sys.exit(f'process {pid} is still running')


if __name__ == '__main__':
    command = sys.argv[1] if len(sys.argv) > 1 else 'start'
    if command == 'stop':
        stop()
    elif command == 'foreground':
        serve()  # for a service manager that does the daemon's work itself (step 3)
    else:
        start()
PY
python3 app.py stop
python3 app.py
for _ in $(seq 50); do ss -ltnH 'sport = :8080' | grep -q . && break; sleep 0.1; done
