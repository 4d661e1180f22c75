# Lesson 4: a JSON API for notes, on the Peewee model from lesson 3.
# Start it with: python3 app.py > server.log 2>&1 &   (MariaDB must be running first)
from datetime import datetime

from bottle import hook, request, response, route, run
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


# TODO (step 2): POST /notes creates a note, GET /notes lists them

# TODO (step 3): GET /notes/<id> reads one note, or answers 404

# TODO (step 4): PUT /notes/<id> updates a note, DELETE /notes/<id> deletes it


if __name__ == '__main__':
    with db:
        db.create_tables([Note])  # CREATE TABLE IF NOT EXISTS note (...)
    run(host='127.0.0.1', port=8080)
