# Lesson 3: a Bottle app that reads the notes from MariaDB.
# Fill in the TODOs as the lesson goes, then start it with: python3 app.py
from bottle import get, hook, run

# TODO (step 4): import Note and db from models.py, and answer GET /notes/count


# TODO (step 4): open the connection before each request and close it after


run(host='127.0.0.1', port=8080)
