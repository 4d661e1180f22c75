# Step 1: the lesson's app on cheroot, bound to 127.0.0.1:8080 so only the proxy can reach it.
set -e
cd /home/learner/app
cat > app.py <<'PY'
# Lesson 13: the Bottle app that will sit behind the HTTP/2 proxy.
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


run(server='cheroot', host='127.0.0.1', port=8080)
PY
# Stop a server that is already running (the learner's or an earlier solution's), then wait for the port.
pkill -u learner -f 'python3 (.*/)?app\.py' || true
for _ in $(seq 50); do ss -ltnH 'sport = :8080' | grep -q . || break; sleep 0.1; done
setsid nohup python3 app.py > app.log 2>&1 < /dev/null &
for _ in $(seq 50); do ss -ltnH 'sport = :8080' | grep -q . && break; sleep 0.1; done
