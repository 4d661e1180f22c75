# Lesson 12: the Bottle app that Apache will sit in front of.
# TODO (step 1): serve it with a threaded server (cheroot), on 127.0.0.1 only.
import time

from bottle import redirect, request, route, run


@route('/hello')
def hello():
    return 'Hello World!'


@route('/hello/<name>')
def hello_name(name):
    return f'Hello {name}!'


@route('/slow')
def slow():
    # A fifth of a second of work: a threaded server answers several of these side by side.
    time.sleep(0.2)
    return 'done\n'


@route('/old')
def old():
    # This page has moved: send the visitor to its new address.
    redirect('/hello/again')


@route('/whoami')
def whoami():
    # What Bottle was told about the request, and what it concluded.
    return {
        'host': request.get_header('Host'),
        'x_forwarded_for': request.get_header('X-Forwarded-For'),
        'peer': request.environ.get('REMOTE_ADDR'),
        'remote_addr': request.remote_addr,
        'url': request.url,
    }


run(host='0.0.0.0', port=8080)
