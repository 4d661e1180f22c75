# Step 1: the app on cheroot (threaded), bound to 127.0.0.1:8080 so only Apache can reach it.
set -e
cd /home/learner/app
sed -i "s/^run(host='0.0.0.0', port=8080)$/run(server='cheroot', host='127.0.0.1', port=8080)/" app.py
grep -q "^run(server='cheroot', host='127.0.0.1', port=8080)$" app.py
# Stop a server that is already running (the learner's or an earlier solution's), then wait for the port.
pkill -u learner -f 'python3 (.*/)?app\.py' || true
for _ in $(seq 50); do ss -ltnH 'sport = :8080' | grep -q . || break; sleep 0.1; done
setsid nohup python3 app.py > app.log 2>&1 < /dev/null &
for _ in $(seq 50); do ss -ltnH 'sport = :8080' | grep -q . && break; sleep 0.1; done
