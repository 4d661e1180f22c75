# Lesson 1: your first Bottle server.
# Fill in the TODOs as the lesson goes, then start it with: python3 app.py
from bottle import route, run

# TODO (step 1): answer GET /hello with the text 'Hello World!'


# TODO (step 2): answer GET /hello/<name> with a greeting for that name


run(port=8080)
