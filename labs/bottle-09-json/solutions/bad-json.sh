# Step 3: a body that is not valid JSON makes request.json raise ValueError (a 500 on Bottle 0.12):
# catch exactly that and answer 400 with a JSON error. Bottle's own 413 for a body over MEMFILE_MAX
# is an HTTPError, not a ValueError, so it still gets through.
set -e
cd /home/learner/app
cat > app.py <<'PY'
# Lesson 9: a small JSON API for notes. The notes live in memory, so a restart forgets new ones.
from bottle import get, post, request, response, run

NOTES = [
    {'id': 1, 'text': 'Read the Bottle docs', 'done': True},
    {'id': 2, 'text': 'Write a JSON API', 'done': False},
]


@get('/api/notes')
def list_notes():
    return {'notes': NOTES, 'count': len(NOTES)}


@get('/api/notes/<note_id:int>')
def get_note(note_id):
    for note in NOTES:
        if note['id'] == note_id:
            return note
    response.status = 404
    return {'error': f'there is no note {note_id}'}


@post('/api/notes')
def add_note():
    try:
        data = request.json  # None unless the request says Content-Type: application/json
    except ValueError:
        response.status = 400
        return {'error': 'the body is not valid JSON'}
    if not isinstance(data, dict) or not isinstance(data.get('text'), str):
        response.status = 400
        return {'error': 'send a JSON object with a "text" string, as application/json'}
    note = {'id': len(NOTES) + 1, 'text': data['text'], 'done': False}
    NOTES.append(note)
    response.status = 201
    return note


run(host='127.0.0.1', port=8080)
PY
# Stop a server that is already running (the learner's or an earlier solution's), then wait for the port.
pkill -u learner -f 'python3 (.*/)?app\.py' || true
for _ in $(seq 50); do ss -ltnH 'sport = :8080' | grep -q . || break; sleep 0.1; done
setsid nohup python3 app.py > server.log 2>&1 < /dev/null &
for _ in $(seq 50); do ss -ltnH 'sport = :8080' | grep -q . && break; sleep 0.1; done
