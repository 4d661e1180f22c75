# Step 4: tell Bottle the client spoke https, so the URLs it builds (redirects) say https.
set -e
conf=/etc/apache2/sites-available/bottle-proxy.conf
sed -i 's#^\(    ProxyPreserveHost On\)$#\1\n    RequestHeader set X-Forwarded-Proto https#' "$conf"
grep -q 'RequestHeader set X-Forwarded-Proto https' "$conf"
apachectl -t
apachectl graceful
for _ in $(seq 50); do
  curl -sk -o /dev/null -w '%{redirect_url}' --resolve bottle.test:443:127.0.0.1 https://bottle.test/old | grep -q '^https:' && break
  sleep 0.1
done
