# Step 5: the WebSocket echo server (the starter's ws_echo.py) on 127.0.0.1:8081, and the TLS proxy
# on 8000 started again with --ws pointing at it.
set -e
cd /home/learner/app
pkill -u learner -f 'python3 (.*/)?ws_echo\.py' || true
for _ in $(seq 50); do ss -ltnH 'sport = :8081' | grep -q . || break; sleep 0.1; done
setsid nohup python3 ws_echo.py > ws.log 2>&1 < /dev/null &
pkill -u learner -f 'h2proxy .*(-p ?|--port[ =])8000( |$)' || true
for _ in $(seq 50); do ss -ltnH 'sport = :8000' | grep -q . || break; sleep 0.1; done
setsid nohup h2proxy -p 8000 -s example.test:cert.pem:key.pem --rev 127.0.0.1:8080 --ws 127.0.0.1:8081 \
  > proxy.log 2>&1 < /dev/null &
for _ in $(seq 50); do ss -ltnH '( sport = :8000 or sport = :8081 )' | grep -c . | grep -qx 2 && break; sleep 0.1; done
