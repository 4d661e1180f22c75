# Step 1: POST /items adds the item named in the form field "name" (201 Created); the server is restarted.
set -e
cd /home/learner/app
cat > app.py <<'PY'
from bottle import abort, delete, get, post, put, request, response, route, run

items = {}  # name -> {'qty': how many, 'note': a few words}; kept in memory only


def line(name):
    """One item as a line of text, e.g. 'tea x2 (green)'."""
    item = items[name]
    text = f"{name} x{item['qty']}"
    if item['note']:
        text += f" ({item['note']})"
    return text + '\n'


@get('/items')
def list_items():
    return ''.join(line(name) for name in sorted(items))


@post('/items')
def add_item():
    name = request.forms.get('name')
    if not name:
        abort(400, 'Send the item in a form field called name.')
    items[name] = {'qty': 1, 'note': ''}
    response.status = 201
    return line(name)


run(host='127.0.0.1', port=8080)
PY
# Stop a server that is already running (the learner's or an earlier solution's), then wait for the port.
pkill -u learner -f 'python3 (.*/)?app\.py' || true
for _ in $(seq 50); do ss -ltnH 'sport = :8080' | grep -q . || break; sleep 0.1; done
setsid nohup python3 app.py > server.log 2>&1 < /dev/null &
