# Step 1: abort(404) for a missing note and abort(403) on /admin; the server restarted.
set -e
cd /home/learner/app
cat > app.py <<'PY'
# Lesson 6: abort, redirect and error pages.
from bottle import abort, error, redirect, request, response, route, run

SECRET = 'change-me'  # signs the login cookie (lesson 5); use a long random value on a real site

NOTES = {1: 'Buy milk', 2: 'Learn Bottle'}
LINKS = {'first': '/notes/1', 'second': '/notes/2'}


@route('/notes/<note_id:int>')
def show_note(note_id):
    if note_id not in NOTES:
        abort(404, f'There is no note {note_id}.')
    return NOTES[note_id] + '\n'


@route('/admin')
def admin():
    abort(403, 'Admins only.')


@route('/go/<name>')
def go(name):
    # A short link: /go/first sends the visitor to /notes/1.
    try:
        redirect(LINKS[name])
    except Exception as exc:
        return f'No link called {name} ({type(exc).__name__})\n'


run(port=8080)
PY
# Stop a server that is already running (the learner's or an earlier solution's), then wait for the port.
pkill -u learner -f 'python3 (.*/)?app\.py' || true
for _ in $(seq 50); do ss -ltnH 'sport = :8080' | grep -q . || break; sleep 0.1; done
setsid nohup python3 app.py > server.log 2>&1 < /dev/null &
for _ in $(seq 50); do ss -ltnH 'sport = :8080' | grep -q . && break; sleep 0.1; done
