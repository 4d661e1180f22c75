# Lesson 2: a shopping list that answers more than GET.
# Fill in the TODOs as the lesson goes, then start it with: python3 app.py
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


# TODO (step 1): POST /items adds the item named in the form field 'name'


# TODO (step 2): GET, PUT, PATCH and DELETE on /items/<name>


run(host='127.0.0.1', port=8080)
