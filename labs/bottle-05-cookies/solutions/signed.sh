# Step 2: the same counter in a signed cookie; a forged or hand-made value reads as the default.
set -e
cd /home/learner/app
cat > app.py <<'PY'
from bottle import request, response, route, run

SECRET = 'keiko-lab-secret-change-me'


@route('/visits')
def visits():
    count = int(request.get_cookie('visits', '0', secret=SECRET)) + 1
    response.set_cookie('visits', str(count), secret=SECRET)
    return {'visits': count}


run(host='127.0.0.1', port=8080)
PY
pkill -u learner -f 'python3 (.*/)?app\.py' || true
for _ in $(seq 50); do ss -ltnH 'sport = :8080' | grep -q . || break; sleep 0.1; done
setsid nohup python3 app.py > server.log 2>&1 < /dev/null &
for _ in $(seq 50); do ss -ltnH 'sport = :8080' | grep -q . && break; sleep 0.1; done
