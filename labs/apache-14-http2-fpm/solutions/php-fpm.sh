# Step 2: php-fpm started as the learner (it puts itself in the background), listening on its socket.
set -e
pgrep -u learner -f '^php-fpm: master' > /dev/null || php-fpm8.2 2> /dev/null
for _ in $(seq 50); do [ -S /run/php/php8.2-fpm.sock ] && break; sleep 0.1; done
