# Step 3: h2proxy on port 8000 with the example.test certificate, in front of Bottle on 127.0.0.1:8080.
set -e
cd /home/learner/app
pkill -u learner -f 'h2proxy .*(-p ?|--port[ =])8000( |$)' || true
for _ in $(seq 50); do ss -ltnH 'sport = :8000' | grep -q . || break; sleep 0.1; done
setsid nohup h2proxy -p 8000 -s example.test:cert.pem:key.pem --rev 127.0.0.1:8080 \
  > proxy.log 2>&1 < /dev/null &
for _ in $(seq 50); do ss -ltnH 'sport = :8000' | grep -q . && break; sleep 0.1; done
