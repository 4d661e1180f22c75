# Step 4: a second h2proxy, without a certificate, on port 8001 in front of the same Bottle app.
set -e
cd /home/learner/app
pkill -u learner -f 'h2proxy .*(-p ?|--port[ =])8001( |$)' || true
for _ in $(seq 50); do ss -ltnH 'sport = :8001' | grep -q . || break; sleep 0.1; done
setsid nohup h2proxy -p 8001 --rev 127.0.0.1:8080 > plain.log 2>&1 < /dev/null &
for _ in $(seq 50); do ss -ltnH 'sport = :8001' | grep -q . && break; sleep 0.1; done
