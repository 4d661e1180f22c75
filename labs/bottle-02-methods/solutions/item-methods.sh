# Step 2: GET, PUT, PATCH (route(method='PATCH'): Bottle 0.12 has no @patch) and DELETE on /items/<name>.
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


@get('/items/<name>')
def show_item(name):
    if name not in items:
        abort(404, f'{name} is not on the list.')
    return line(name)


@put('/items/<name>')
def replace_item(name):
    items[name] = {'qty': int(request.forms.get('qty', 1)), 'note': request.forms.get('note', '')}
    return line(name)


@route('/items/<name>', method='PATCH')
def change_item(name):
    if name not in items:
        abort(404, f'{name} is not on the list.')
    if 'qty' in request.forms:
        items[name]['qty'] = int(request.forms.get('qty'))
    if 'note' in request.forms:
        items[name]['note'] = request.forms.get('note')
    return line(name)


@delete('/items/<name>')
def remove_item(name):
    if name not in items:
        abort(404, f'{name} is not on the list.')
    del items[name]
    return f'removed {name}\n'


run(host='127.0.0.1', port=8080)
PY
pkill -u learner -f 'python3 (.*/)?app\.py' || true
for _ in $(seq 50); do ss -ltnH 'sport = :8080' | grep -q . || break; sleep 0.1; done
setsid nohup python3 app.py > server.log 2>&1 < /dev/null &
