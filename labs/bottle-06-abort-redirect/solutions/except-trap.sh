# Step 4: the short-link route without its broad try/except, so redirect()'s exception reaches
# Bottle; an unknown link is an abort(404).
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


@error(404)
def not_found(err):
    return f'Nothing here. {err.body}\n'


@route('/account')
def account():
    name = request.get_cookie('user', secret=SECRET)
    if not name:
        redirect('/login?next=/account')
    return f'Hello {name}, this is your account.\n'


@route('/login')
def login_form():
    return '<form method="post">Name: <input name="name"> <button>Log in</button></form>\n'


@route('/login', method='POST')
def login():
    name = request.forms.get('name')
    if not name:
        abort(400, 'Tell me your name.')
    response.set_cookie('user', name, secret=SECRET, path='/', httponly=True)
    target = request.query.get('next', '/account')
    if not target.startswith('/') or target.startswith('//'):
        target = '/account'  # only paths on this site: never send a visitor elsewhere
    redirect(target)


@route('/go/<name>')
def go(name):
    # A short link: /go/first sends the visitor to /notes/1.
    if name not in LINKS:
        abort(404, f'No link called {name}.')
    redirect(LINKS[name])


run(port=8080)
PY
# Stop a server that is already running (the learner's or an earlier solution's), then wait for the port.
pkill -u learner -f 'python3 (.*/)?app\.py' || true
for _ in $(seq 50); do ss -ltnH 'sport = :8080' | grep -q . || break; sleep 0.1; done
setsid nohup python3 app.py > server.log 2>&1 < /dev/null &
for _ in $(seq 50); do ss -ltnH 'sport = :8080' | grep -q . && break; sleep 0.1; done
