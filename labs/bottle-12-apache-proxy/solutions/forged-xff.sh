# Step 5: /whoami also reports `client`, the last X-Forwarded-For entry: the one Apache added itself.
set -e
cd /home/learner/app
python3 - <<'PY'
path = 'app.py'
src = open(path).read()
helper = '''def client_addr():
    # Apache appends the address it saw to X-Forwarded-For; anything before it came from the client.
    chain = request.get_header('X-Forwarded-For', '')
    return chain.split(',')[-1].strip() or request.environ.get('REMOTE_ADDR')


@route('/whoami')'''
src = src.replace("@route('/whoami')", helper, 1)
src = src.replace("        'url': request.url,\n", "        'url': request.url,\n        'client': client_addr(),\n", 1)
open(path, 'w').write(src)
PY
grep -q "'client': client_addr()," app.py
pkill -u learner -f 'python3 (.*/)?app\.py' || true
for _ in $(seq 50); do ss -ltnH 'sport = :8080' | grep -q . || break; sleep 0.1; done
setsid nohup python3 app.py > app.log 2>&1 < /dev/null &
for _ in $(seq 50); do ss -ltnH 'sport = :8080' | grep -q . && break; sleep 0.1; done
