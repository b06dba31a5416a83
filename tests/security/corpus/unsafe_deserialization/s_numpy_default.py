"""numpy.load refuses pickles unless allow_pickle=True."""
# expect: none
# features: sanitizer-data-only-format
import numpy
from flask import Flask, request

app = Flask(__name__)


@app.post("/array")
def upload_array():
    array = numpy.load(request.files["array"])
    return {"shape": list(array.shape)}
