# Step 2: POST /notes and GET /notes as JSON (a list wrapped in a dict), 409 for a taken title.
set -e
cd /home/learner/app
cat > app.py <<'PY'
from datetime import datetime

from bottle import delete, get, hook, post, put, request, response, run
from peewee import CharField, DateTimeField, IntegrityError, Model, MySQLDatabase, TextField

db = MySQLDatabase('keiko', user='keiko', password='keiko-pass',
                   host='127.0.0.1', port=3306, charset='utf8mb4')


class Note(Model):
    title = CharField(unique=True)
    body = TextField(default='')
    created = DateTimeField(default=datetime.now)

    class Meta:
        database = db


@hook('before_request')
def open_db():
    db.connect(reuse_if_open=True)


@hook('after_request')
def close_db():
    if not db.is_closed():
        db.close()


def as_json(note):
    return {'id': note.id, 'title': note.title, 'body': note.body,
            'created': note.created.isoformat(timespec='seconds')}


@post('/notes')
def create_note():
    data = request.json or {}
    try:
        note = Note.create(title=data['title'], body=data.get('body', ''))
    except KeyError:
        response.status = 400
        return {'error': 'a note needs a title'}
    except IntegrityError:
        response.status = 409
        return {'error': 'a note with that title already exists'}
    response.status = 201
    return as_json(note)


@get('/notes')
def list_notes():
    return {'notes': [as_json(note) for note in Note.select().order_by(Note.id)]}


if __name__ == '__main__':
    with db:
        db.create_tables([Note])
    run(host='127.0.0.1', port=8080)
PY
pkill -u learner -f 'python3 (.*/)?app\.py' || true
for _ in $(seq 50); do ss -ltnH 'sport = :8080' | grep -q . || break; sleep 0.1; done
setsid nohup python3 app.py > server.log 2>&1 < /dev/null &
for _ in $(seq 50); do ss -ltnH 'sport = :8080' | grep -q . && break; sleep 0.1; done
