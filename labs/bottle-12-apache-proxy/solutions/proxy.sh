# Step 3: the modules, and a TLS virtual host on 443 that passes every request to Bottle.
set -e
a2enmod -q proxy proxy_http ssl headers
cat > /etc/apache2/sites-available/bottle-proxy.conf <<'CONF'
<VirtualHost *:443>
    ServerName bottle.test
    SSLEngine on
    SSLCertificateFile /home/learner/bottle.crt
    SSLCertificateKeyFile /home/learner/bottle.key

    ProxyPreserveHost On
    ProxyPass        / http://127.0.0.1:8080/
    ProxyPassReverse / http://127.0.0.1:8080/
</VirtualHost>
CONF
a2ensite -q bottle-proxy
apachectl -t
apachectl start
for _ in $(seq 50); do curl -sk -o /dev/null https://127.0.0.1/hello && break; sleep 0.1; done
