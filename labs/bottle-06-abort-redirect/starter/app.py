# Lesson 6: abort, redirect and error pages.
# Fill in the TODOs as the lesson goes. Start the server with: python3 app.py > server.log 2>&1 &
from bottle import abort, error, redirect, request, response, route, run

SECRET = 'change-me'  # signs the login cookie (lesson 5); use a long random value on a real site

NOTES = {1: 'Buy milk', 2: 'Learn Bottle'}
LINKS = {'first': '/notes/1', 'second': '/notes/2'}


@route('/notes/<note_id:int>')
def show_note(note_id):
    # TODO (step 1): answer 404 when there is no such note
    return NOTES[note_id] + '\n'


@route('/admin')
def admin():
    # TODO (step 1): nobody may see this page: answer 403
    return 'The admin page.\n'


# TODO (step 2): one friendly page for every 404


# TODO (step 3): /account, only for visitors who logged in


@route('/go/<name>')
def go(name):
    # A short link: /go/first sends the visitor to /notes/1.
    try:
        redirect(LINKS[name])
    except Exception as exc:
        return f'No link called {name} ({type(exc).__name__})\n'


run(port=8080)
