def application(environ, start_response):
    name = environ.get("PATH_INFO", "/").lstrip("/")
    with open("/srv/static/" + name, "rb") as handle:  # expect: path-traversal
        body = handle.read()
    start_response("200 OK", [("Content-Type", "application/octet-stream")])
    return [body]
