# Step 2: one CAA issue record at the apex, a new serial, a clean named-checkzone, a reload.
set -e
cd /home/learner/dns
sed -i 's/2026120101 ; serial/2026120102 ; serial/' db.example.test
cat >> db.example.test <<'ZONE'
@       IN CAA  0 issue "letsencrypt.org"
ZONE
named-checkzone example.test db.example.test
kill -HUP "$(cat named.pid)"
for _ in $(seq 50); do dig @127.0.0.1 example.test CAA +short | grep -q letsencrypt && break; sleep 0.1; done
