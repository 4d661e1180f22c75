# Step 1: a MariaDB data directory in ~/mariadb (a 16 MiB redo log: the default 96 MiB does not fit the
# 64 MiB home), then mariadbd as the learner on 127.0.0.1:3306 with a 64 MiB buffer pool, in the
# background; wait until it answers.
set -e
cd /home/learner
if [ ! -d mariadb/mysql ]; then
  rm -rf mariadb
  mariadb-install-db --datadir="$HOME/mariadb" --auth-root-socket-user=learner \
    --innodb-log-file-size=16M > install.log 2>&1
fi
setsid nohup /usr/sbin/mariadbd --datadir="$HOME/mariadb" --bind-address=127.0.0.1 \
  --innodb-log-file-size=16M --innodb-buffer-pool-size=64M > mariadb.log 2>&1 < /dev/null &
for _ in $(seq 60); do mariadb-admin ping > /dev/null 2>&1 && exit 0; sleep 0.5; done
echo "mariadbd did not answer within 30 s; see ~/mariadb.log" >&2
exit 1
