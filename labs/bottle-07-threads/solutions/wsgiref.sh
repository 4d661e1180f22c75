# Step 1: the starter app as it is, on Bottle's default wsgiref server.
set -e
cd /home/learner/app
# Stop a server that is already running (the learner's or an earlier solution's), then wait for the port.
pkill -u learner -f 'python3 (.*/)?app\.py|gunicorn' || true
for _ in $(seq 50); do ss -ltnH 'sport = :8080' | grep -q . || break; sleep 0.1; done
setsid nohup python3 app.py > server.log 2>&1 < /dev/null &
# Wait until the app answers, not only until the port listens: gunicorn's worker boots after the
# master opens the port, and a check sent before would queue behind the boot.
for _ in $(seq 100); do curl -s -o /dev/null --max-time 1 http://127.0.0.1:8080/hits && break; sleep 0.1; done
