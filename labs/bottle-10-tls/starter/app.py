# Lesson 10: the app from lesson 1, to be served over HTTPS.
# TODO (step 2): serve it with server='cheroot' on port 8443, using cert.pem and key.pem.
from bottle import route, run


@route('/hello')
def hello():
    return 'Hello World!'


@route('/hello/<name>')
def hello_name(name):
    return f'Hello {name}!'


run(host='0.0.0.0', port=8080)
