# Lesson 13: the Bottle app that will sit behind the HTTP/2 proxy.
# TODO (step 1): only the proxy should reach this app, so listen on 127.0.0.1.
from bottle import redirect, request, route, run


@route('/hello')
def hello():
    return 'Hello World!'


@route('/hello/<name>')
def hello_name(name):
    return f'Hello {name}!'


@route('/old')
def old():
    # This page has moved: send the visitor to its new address.
    redirect('/hello/again')


@route('/whoami')
def whoami():
    # What Bottle was told about the request, and the URL it builds from that.
    lines = [f'{name}: {request.get_header(name)}'
             for name in ('Host', 'X-Forwarded-Proto', 'X-Forwarded-Host', 'X-Forwarded-For')]
    lines.append(f'request.url: {request.url}')
    return '\n'.join(lines) + '\n'


run(server='cheroot', host='0.0.0.0', port=8080)
