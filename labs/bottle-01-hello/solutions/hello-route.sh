# Step 1: a /hello route, served by Bottle's default server on its default host (127.0.0.1).
set -e
cd /home/learner/app
cat > app.py <<'PY'
from bottle import route, run


@route('/hello')
def hello():
    return 'Hello World!'


run(port=8080)
PY
# Stop a server that is already running (the learner's or an earlier solution's), then wait for the port.
pkill -u learner -f 'python3 (.*/)?app\.py' || true
for _ in $(seq 50); do ss -ltnH 'sport = :8080' | grep -q . || break; sleep 0.1; done
setsid nohup python3 app.py > server.log 2>&1 < /dev/null &
