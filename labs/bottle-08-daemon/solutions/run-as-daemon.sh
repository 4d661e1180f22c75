# Step 1: start() runs the app inside a python-daemon DaemonContext with an explicit working directory
# and umask, a pidfile and a log file; `python3 app.py` then returns at once and the daemon serves on.
set -e
cd /home/learner/app
cat > app.py <<'PY'
# Lesson 8: a Bottle app that keeps serving after you log out.
import os
import sys

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
    # TODO (step 2): send SIGTERM to the process named in the pidfile, and wait until it is gone.
    print('stop: not written yet')


if __name__ == '__main__':
    command = sys.argv[1] if len(sys.argv) > 1 else 'start'
    if command == 'stop':
        stop()
    elif command == 'foreground':
        serve()  # for a service manager that does the daemon's work itself (step 3)
    else:
        start()
PY
# Stop a server that is already running (the learner's or an earlier solution's), then wait for the port.
pkill -u learner -f 'python3 (.*/)?app\.py' || true
for _ in $(seq 50); do ss -ltnH 'sport = :8080' | grep -q . || break; sleep 0.1; done
rm -f app.pid
python3 app.py
for _ in $(seq 50); do ss -ltnH 'sport = :8080' | grep -q . && break; sleep 0.1; done
