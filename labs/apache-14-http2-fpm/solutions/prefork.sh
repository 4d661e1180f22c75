# Step 1: mod_ssl and mod_http2 on Debian's default prefork + mod_php, a certificate, a TLS site on
# 443 that asks for h2 (Protocols h2 http/1.1), a PHP page that names its SAPI, and Apache started.
set -e
a2enmod ssl http2 > /dev/null
mkdir -p /etc/apache2/ssl
openssl req -x509 -newkey rsa:2048 -nodes -days 365 \
  -keyout /etc/apache2/ssl/key.pem -out /etc/apache2/ssl/cert.pem \
  -subj "/CN=example.test" -addext "subjectAltName=DNS:example.test" \
  -addext "basicConstraints=critical,CA:FALSE" 2>/dev/null
cat > /etc/apache2/sites-available/h2.conf <<'CONF'
<VirtualHost *:443>
    ServerName example.test
    DocumentRoot /var/www/html
    Protocols h2 http/1.1
    SSLEngine on
    SSLCertificateFile /etc/apache2/ssl/cert.pem
    SSLCertificateKeyFile /etc/apache2/ssl/key.pem
</VirtualHost>
CONF
a2ensite h2 > /dev/null
cat > /var/www/html/sapi.php <<'PHP'
<?php
echo "Hello from PHP ", PHP_VERSION, " via ", php_sapi_name(), "\n";
PHP
# Start Apache, or start it again if it already runs (a learner's earlier try).
apachectl stop > /dev/null 2>&1 || true
for _ in $(seq 50); do ss -ltnH '( sport = :443 or sport = :80 )' | grep -q . || break; sleep 0.1; done
apachectl start 2> /dev/null
for _ in $(seq 50); do ss -ltnH 'sport = :443' | grep -q . && break; sleep 0.1; done
