# Step 4: HSTS for two years on every answer, errors included ("always").
set -e
cd /home/learner/app
grep -q 'Strict-Transport-Security' example-tls.conf ||
  sed -i 's#^</VirtualHost>#    Header always set Strict-Transport-Security "max-age=63072000"\n</VirtualHost>#' example-tls.conf
apachectl configtest 2>/dev/null
apachectl graceful 2>/dev/null
sleep 1
