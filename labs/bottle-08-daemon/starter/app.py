# Lesson 8: a Bottle app that keeps serving after you log out.
# Today it runs in the foreground and dies with your terminal; the lesson makes it a daemon.
import os
import sys

from bottle import route, run, template

APP_DIR = '/home/learner/app'


@route('/hello/<name>')
def hello(name):
    # Both paths below are relative: they are looked up in the process's working directory.
    with open('visitors.txt', 'a') as visitors:
        visitors.write(name + '\n')
    return template('hello', name=name, pid=os.getpid())  # views/hello.tpl


def serve():
    run(host='127.0.0.1', port=8080)


def start():
    # TODO (step 1): run serve() inside a daemon.DaemonContext, with a pidfile and a log file.
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
