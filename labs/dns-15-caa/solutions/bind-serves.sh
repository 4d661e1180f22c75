# Step 1: named in the foreground as the learner, authoritative for example.test on 127.0.0.1:53.
set -e
cd /home/learner/dns
pkill -u learner -x named || true
for _ in $(seq 50); do ss -lunH 'sport = :53' | grep -q . || break; sleep 0.1; done
setsid nohup named -g -c named.conf > named.log 2>&1 < /dev/null &
for _ in $(seq 100); do dig @127.0.0.1 example.test SOA +short +tries=1 +time=1 | grep -q . && break; sleep 0.1; done
