# Step 4: the Bottle app opens the connection in a before_request hook and closes it in an
# after_request hook; GET /notes/count counts the rows. The server is (re)started in the background.
set -e
cd /home/learner/app
cat > app.py <<'PY'
# Lesson 3: a Bottle app that reads the notes from MariaDB.
# Start it with: python3 app.py
from bottle import get, hook, run

from models import Note, db


@hook('before_request')
def open_connection():
    db.connect(reuse_if_open=True)


@hook('after_request')
def close_connection():
    if not db.is_closed():
        db.close()


@get('/notes/count')
def count_notes():
    return f'notes: {Note.select().count()}\n'


run(host='127.0.0.1', port=8080)
PY
pkill -u learner -f 'python3 (.*/)?app\.py' || true
for _ in $(seq 50); do ss -ltnH 'sport = :8080' | grep -q . || break; sleep 0.1; done
setsid nohup python3 app.py > server.log 2>&1 < /dev/null &
