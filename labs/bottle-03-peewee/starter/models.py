# Lesson 3: the database of the notes app, described in Python with Peewee.
# Fill in the TODOs as the lesson goes, then create the table with: python3 models.py
from datetime import datetime

from peewee import CharField, DateTimeField, Model, MySQLDatabase, TextField

# TODO (step 3): connect to the database keiko on 127.0.0.1:3306 as the user keiko


# TODO (step 3): a Note model with title, body and created


if __name__ == '__main__':
    # TODO (step 3): create the note table
    pass
