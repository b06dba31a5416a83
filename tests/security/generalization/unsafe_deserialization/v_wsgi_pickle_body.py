import pickle


def application(environ, start_response):
    length = int(environ.get("CONTENT_LENGTH") or 0)
    state = pickle.loads(environ["wsgi.input"].read(length))  # expect: unsafe-deserialization
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [repr(state).encode()]
