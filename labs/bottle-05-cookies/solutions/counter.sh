# Step 1: the count kept in a plain cookie (no signature yet), the server restarted to load it.
set -e
cd /home/learner/app
cat > app.py <<'PY'
from bottle import request, response, route, run


@route('/visits')
def visits():
    count = int(request.get_cookie('visits', '0')) + 1
    response.set_cookie('visits', str(count))
    return {'visits': count}


run(host='127.0.0.1', port=8080)
PY
pkill -u learner -f 'python3 (.*/)?app\.py' || true
for _ in $(seq 50); do ss -ltnH 'sport = :8080' | grep -q . || break; sleep 0.1; done
setsid nohup python3 app.py > server.log 2>&1 < /dev/null &
for _ in $(seq 50); do ss -ltnH 'sport = :8080' | grep -q . && break; sleep 0.1; done
