# Lesson 11: the Bottle app that Apache will run through mod_wsgi.
# TODO (step 1): Apache imports this file, so run() must not start a server at import time.
import os

from bottle import request, route, run


@route('/hello')
def hello():
    return 'Hello World!'


@route('/hello/<name>')
def hello_name(name):
    return f'Hello {name}!'


@route('/wsgi')
def wsgi():
    # Who runs this request: mod_wsgi adds its own keys to the WSGI environ.
    return {
        'process_group': request.environ.get('mod_wsgi.process_group'),
        'application_group': request.environ.get('mod_wsgi.application_group'),
        'pid': os.getpid(),
    }


run(host='0.0.0.0', port=8080)
