# Lesson 7: one app, served first by wsgiref and then by threaded servers.
# Start it with: python3 app.py > server.log 2>&1 &
import time

from bottle import default_app, route, run

hits = 0  # how many times /hit was called, shared by every request


@route('/slow')
def slow():
    time.sleep(0.2)  # a slow database query, or a call to another service
    return 'done\n'


@route('/hit', method='POST')
def hit():
    global hits
    current = hits     # read ...
    time.sleep(0.01)   # ... do some work ...
    hits = current + 1  # ... write
    return f'{hits}\n'


@route('/hits')
def show_hits():
    return f'{hits}\n'


app = default_app()  # the WSGI application, for servers that import this file (gunicorn)

run(host='127.0.0.1', port=8080)
