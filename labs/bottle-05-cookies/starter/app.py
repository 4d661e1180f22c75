# Lesson 5: a visit counter kept in a cookie.
# Fill in the TODOs as the lesson goes, then start it with: python3 app.py > server.log 2>&1 &
from bottle import request, response, route, run

# TODO (step 2): a secret key that signs the cookie


@route('/visits')
def visits():
    # TODO (step 1): read the count from the 'visits' cookie, add one, send the new count back
    count = 1
    return {'visits': count}


run(host='127.0.0.1', port=8080)
