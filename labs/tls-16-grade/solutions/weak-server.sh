# Step 1: mod_ssl and mod_headers on, the starter's weak site enabled, Apache started as the learner.
set -e
cd /home/learner/app
a2enmod -q ssl headers
ln -sf /home/learner/app/example-tls.conf /etc/apache2/sites-enabled/example-tls.conf
apachectl configtest 2>/dev/null
apachectl start 2>/dev/null || apachectl graceful 2>/dev/null
for _ in $(seq 50); do ss -ltnH 'sport = :443' | grep -q . && break; sleep 0.1; done
