# Step 3: mod_php and prefork out, mpm_event and proxy_fcgi in, Debian's php8.2-fpm handler enabled,
# and Apache stopped and started again (a graceful restart cannot change the MPM: AH00534).
set -e
a2dismod php8.2 mpm_prefork > /dev/null
a2enmod mpm_event proxy_fcgi setenvif > /dev/null
a2enconf php8.2-fpm > /dev/null
apachectl stop > /dev/null 2>&1 || true
for _ in $(seq 50); do ss -ltnH '( sport = :443 or sport = :80 )' | grep -q . || break; sleep 0.1; done
apachectl start 2> /dev/null
for _ in $(seq 50); do ss -ltnH 'sport = :443' | grep -q . && break; sleep 0.1; done
