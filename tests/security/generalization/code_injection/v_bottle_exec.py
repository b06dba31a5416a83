from bottle import post, request


@post("/run")
def run():
    namespace = {}
    exec(request.forms.get("code", ""), namespace)  # expect: code-injection
    return {"result": repr(namespace.get("result"))}
