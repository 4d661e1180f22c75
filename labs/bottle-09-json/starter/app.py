# Lesson 9: a small JSON API for notes. The notes live in memory, so a restart forgets new ones.
from bottle import get, post, request, response, run

NOTES = [
    {'id': 1, 'text': 'Read the Bottle docs', 'done': True},
    {'id': 2, 'text': 'Write a JSON API', 'done': False},
]


@get('/api/notes')
def list_notes():
    # TODO (step 1): a list does not reach the client as JSON. Return a dict instead.
    return NOTES


# TODO (step 1): GET /api/notes/<note_id:int> answers one note, or 404 with a JSON error.

# TODO (step 2): POST /api/notes reads request.json and adds a note.


run(host='127.0.0.1', port=8080)
