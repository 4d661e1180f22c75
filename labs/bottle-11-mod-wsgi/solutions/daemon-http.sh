# Step 2: a site that runs app.wsgi in the mod_wsgi daemon process group "bottleapp" on port 80,
# instead of Debian's default site, then Apache started by the learner.
set -e
cat > /etc/apache2/sites-available/bottle.conf <<'CONF'
# Bottle under mod_wsgi, in a daemon process of its own.
WSGIDaemonProcess bottleapp threads=5 home=/home/learner/app python-path=/home/learner/app display-name=%{GROUP}

<Directory /home/learner/app>
    Require all granted
</Directory>

<VirtualHost *:80>
    ServerName bottle.test
    WSGIProcessGroup bottleapp
    WSGIApplicationGroup %{GLOBAL}
    WSGIScriptAlias / /home/learner/app/app.wsgi
</VirtualHost>
CONF
a2dissite -q 000-default
a2ensite -q bottle
apachectl -t
apachectl start
for _ in $(seq 50); do curl -s -o /dev/null http://127.0.0.1/hello && break; sleep 0.1; done
