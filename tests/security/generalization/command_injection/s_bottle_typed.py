# expect: none
import subprocess

from bottle import route


@route("/kill/<pid:int>")
def kill(pid):
    subprocess.run(f"kill {pid}", shell=True, check=False)
    return "ok"
