# Lesson 3: the notes database, described in Python with Peewee.
# Fill in the TODO as the lesson goes, then create the table with: python3 models.py
from datetime import datetime

from peewee import CharField, DateTimeField, Model, MySQLDatabase, TextField

# TODO (step 3): the database, the Note model, and create_tables() when run as a script
