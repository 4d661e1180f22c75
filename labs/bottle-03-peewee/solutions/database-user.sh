# Step 2: the database keiko (utf8mb4) and the user keiko, who logs in over TCP from 127.0.0.1 with the
# lab password keiko-pass and may do anything inside keiko. The learner's own account (learner@localhost,
# made by mariadb-install-db) logs in through the socket without a password.
set -e
mariadb <<'SQL'
CREATE DATABASE IF NOT EXISTS keiko CHARACTER SET utf8mb4;
CREATE USER IF NOT EXISTS 'keiko'@'127.0.0.1' IDENTIFIED BY 'keiko-pass';
GRANT ALL PRIVILEGES ON keiko.* TO 'keiko'@'127.0.0.1';
SQL
