# Step 4: the port-80 virtual host only redirects, path and query kept, to https://bottle.test/.
set -e
python3 - <<'PY'
import re
path = '/etc/apache2/sites-available/bottle.conf'
conf = open(path).read()
plain = re.compile(r'<VirtualHost \*:80>.*?</VirtualHost>', re.S)
conf = plain.sub('<VirtualHost *:80>\n    ServerName bottle.test\n'
                 '    Redirect permanent / https://bottle.test/\n</VirtualHost>', conf)
open(path, 'w').write(conf)
PY
apachectl -t
apachectl graceful
for _ in $(seq 50); do [ "$(curl -s -o /dev/null -w '%{http_code}' http://127.0.0.1/hello)" = 301 ] && break; sleep 0.1; done
