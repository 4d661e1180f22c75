# Step 3: run() only when app.py is the main program, and gunicorn with 8 threads imports app:app.
set -e
cd /home/learner/app
cat > app.py <<'PY'
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

if __name__ == '__main__':
    run(server='cheroot', host='127.0.0.1', port=8080, request_queue_size=64)
PY
# Stop a server that is already running (the learner's or an earlier solution's), then wait for the port.
pkill -u learner -f 'python3 (.*/)?app\.py|gunicorn' || true
for _ in $(seq 50); do ss -ltnH 'sport = :8080' | grep -q . || break; sleep 0.1; done
setsid nohup gunicorn --threads 8 --bind 127.0.0.1:8080 app:app > server.log 2>&1 < /dev/null &
# Wait until the app answers, not only until the port listens: gunicorn's worker boots after the
# master opens the port, and a check sent before would queue behind the boot.
for _ in $(seq 100); do curl -s -o /dev/null --max-time 1 http://127.0.0.1:8080/hits && break; sleep 0.1; done
