# Step 3: no wildcard certificates from anyone, and where a CA should report a refused request.
set -e
cd /home/learner/dns
sed -i 's/20261201[0-9][0-9] ; serial/2026120103 ; serial/' db.example.test
cat >> db.example.test <<'ZONE'
@       IN CAA  0 issuewild ";"
@       IN CAA  0 iodef "mailto:security@example.test"
ZONE
named-checkzone example.test db.example.test
kill -HUP "$(cat named.pid)"
for _ in $(seq 50); do dig @127.0.0.1 example.test CAA +short | grep -q iodef && break; sleep 0.1; done
