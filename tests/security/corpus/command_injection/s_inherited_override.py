"""Twin of v_inherited_method: the subclass overrides the method with a safe one."""
# expect: none
# features: propagation-inheritance
import os
import shlex

from flask import Flask, request

app = Flask(__name__)


class Runner:
    def execute(self, line):
        os.system("echo " + line)


class QuotingRunner(Runner):
    def execute(self, line):
        os.system("echo " + shlex.quote(line))


@app.route("/exec")
def run():
    QuotingRunner().execute(request.args["line"])
    return "ok"
