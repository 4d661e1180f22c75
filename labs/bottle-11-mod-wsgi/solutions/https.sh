# Step 3: a certificate for bottle.test, mod_ssl, and a second virtual host on 443 that hands its
# requests to the same daemon process group.
set -e
cd /home/learner
openssl req -x509 -newkey rsa:2048 -nodes -keyout bottle.key -out bottle.crt -days 365 \
  -subj "/CN=bottle.test" -addext "subjectAltName=DNS:bottle.test" 2>/dev/null
a2enmod -q ssl
cat >> /etc/apache2/sites-available/bottle.conf <<'CONF'

<VirtualHost *:443>
    ServerName bottle.test
    SSLEngine on
    SSLCertificateFile /home/learner/bottle.crt
    SSLCertificateKeyFile /home/learner/bottle.key
    WSGIProcessGroup bottleapp
    WSGIApplicationGroup %{GLOBAL}
    WSGIScriptAlias / /home/learner/app/app.wsgi
</VirtualHost>
CONF
apachectl -t
apachectl graceful
for _ in $(seq 50); do curl -sk -o /dev/null https://127.0.0.1/hello && break; sleep 0.1; done
