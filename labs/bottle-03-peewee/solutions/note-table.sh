# Step 3: the Peewee model Note in models.py, and its table made by create_tables(safe=True).
set -e
cd /home/learner/app
cat > models.py <<'PY'
# Lesson 3: the notes database, described in Python with Peewee.
# Create the table with: python3 models.py
from datetime import datetime

from peewee import CharField, DateTimeField, Model, MySQLDatabase, TextField

# A lab password: fine in a sandbox, never in a real project's source code.
db = MySQLDatabase('keiko', user='keiko', password='keiko-pass',
                   host='127.0.0.1', port=3306, charset='utf8mb4')


class Note(Model):
    title = CharField(max_length=200)
    body = TextField()
    created = DateTimeField(default=datetime.now)

    class Meta:
        database = db


if __name__ == '__main__':
    db.connect()
    db.create_tables([Note], safe=True)
    db.close()
    print('table note is ready')
PY
python3 models.py
