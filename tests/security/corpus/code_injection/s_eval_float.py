"""Twin of v_eval_percent: the value is cast to float first."""
# expect: none
# features: sanitizer-numeric-cast
from flask import Flask, request

app = Flask(__name__)


@app.post("/scale")
def scale():
    factor = float(request.form["factor"])
    value = eval("10 * %s" % factor)
    return {"value": value}
