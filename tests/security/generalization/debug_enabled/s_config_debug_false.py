# expect: none
from flask import Flask

app = Flask(__name__)
app.config["DEBUG"] = False
app.debug = False
