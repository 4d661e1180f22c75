# Step 3: bind to 0.0.0.0 (every address) instead of the default 127.0.0.1, and restart.
set -e
cd /home/learner/app
cat > app.py <<'PY'
from bottle import route, run


@route('/hello')
def hello():
    return 'Hello World!'


@route('/hello/<name>')
def hello_name(name):
    return f'Hello {name}!'


run(host='0.0.0.0', port=8080)
PY
pkill -u learner -f 'python3 (.*/)?app\.py' || true
for _ in $(seq 50); do ss -ltnH 'sport = :8080' | grep -q . || break; sleep 0.1; done
setsid nohup python3 app.py > server.log 2>&1 < /dev/null &
