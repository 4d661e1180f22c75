# Step 1: MariaDB exactly as lesson 3 starts it: a data directory in ~/mariadb with a 16 MiB redo log
# (the default 96 MiB does not fit the 64 MiB home), mariadbd as the learner on 127.0.0.1:3306 with a
# 64 MiB buffer pool, then the database keiko and the user keiko for TCP from 127.0.0.1.
set -e
cd /home/learner
if [ ! -d mariadb/mysql ]; then
  rm -rf mariadb
  mariadb-install-db --datadir="$HOME/mariadb" --auth-root-socket-user=learner \
    --innodb-log-file-size=16M > install.log 2>&1 || { grep -i error install.log | head -n 12; exit 1; }
fi
setsid nohup /usr/sbin/mariadbd --datadir="$HOME/mariadb" --bind-address=127.0.0.1 \
  --innodb-log-file-size=16M --innodb-buffer-pool-size=64M > mariadb.log 2>&1 < /dev/null &
for _ in $(seq 60); do mariadb-admin ping > /dev/null 2>&1 && break; sleep 0.5; done
mariadb <<'SQL'
CREATE DATABASE IF NOT EXISTS keiko CHARACTER SET utf8mb4;
CREATE USER IF NOT EXISTS 'keiko'@'127.0.0.1' IDENTIFIED BY 'keiko-pass';
GRANT ALL PRIVILEGES ON keiko.* TO 'keiko'@'127.0.0.1';
SQL
