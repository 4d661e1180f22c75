# Step 4: shop.example.test gets a CAA set of its own, which replaces the apex's for it.
set -e
cd /home/learner/dns
sed -i 's/20261201[0-9][0-9] ; serial/2026120104 ; serial/' db.example.test
cat >> db.example.test <<'ZONE'
shop    IN CAA  0 issue "pki.goog"
ZONE
named-checkzone example.test db.example.test
kill -HUP "$(cat named.pid)"
for _ in $(seq 50); do dig @127.0.0.1 shop.example.test CAA +short | grep -q pki.goog && break; sleep 0.1; done
