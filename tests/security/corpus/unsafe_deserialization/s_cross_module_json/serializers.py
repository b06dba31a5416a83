import json


def decode(blob):
    return json.loads(blob)
