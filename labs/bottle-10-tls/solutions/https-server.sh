# Step 2: the same app on cheroot, with TLS, on port 8443.
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


run(server='cheroot', host='0.0.0.0', port=8443,
    certfile='cert.pem', keyfile='key.pem')
PY
# Stop a server that is already running (the learner's or an earlier solution's).
pkill -u learner -f 'python3 (.*/)?app\.py' || true
for _ in $(seq 50); do ss -ltnH '( sport = :8443 or sport = :8080 )' | grep -q . || break; sleep 0.1; done
setsid nohup python3 app.py > server.log 2>&1 < /dev/null &
