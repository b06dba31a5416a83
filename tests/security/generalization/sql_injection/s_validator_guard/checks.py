# expect: none
import re

SORTABLE = ("name", "price", "created")


def check_column(column):
    return column in SORTABLE


def slug_ok(value):
    return re.fullmatch(r"[a-z0-9-]{1,40}", value) is not None
