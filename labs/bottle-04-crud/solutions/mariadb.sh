# Step 1: MariaDB as in lesson 3: a data directory in the learner's home, the server on 127.0.0.1:3306
# with its socket in /run/mysqld, then the keiko database and its user (for the socket and for TCP).
set -e
cd /home/learner
mariadb-install-db --user=learner --datadir="$HOME/mariadb" > mariadb-install.log 2>&1
setsid nohup /usr/sbin/mariadbd --datadir="$HOME/mariadb" --socket=/run/mysqld/mysqld.sock \
  --bind-address=127.0.0.1 --port=3306 > mariadb.log 2>&1 < /dev/null &
for _ in $(seq 100); do mariadb-admin ping > /dev/null 2>&1 && break; sleep 0.2; done
mariadb <<'SQL'
CREATE DATABASE IF NOT EXISTS keiko CHARACTER SET utf8mb4;
CREATE USER IF NOT EXISTS 'keiko'@'localhost' IDENTIFIED BY 'keiko-pass';
CREATE USER IF NOT EXISTS 'keiko'@'127.0.0.1' IDENTIFIED BY 'keiko-pass';
GRANT ALL PRIVILEGES ON keiko.* TO 'keiko'@'localhost';
GRANT ALL PRIVILEGES ON keiko.* TO 'keiko'@'127.0.0.1';
SQL
