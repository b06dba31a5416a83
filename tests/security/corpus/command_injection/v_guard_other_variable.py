"""An early return that checks a different variable protects nothing."""
# features: precision-early-return
import subprocess

KNOWN_HOSTS = ("db", "cache", "queue")


def ping():
    host = input("host: ")
    port = input("port: ")
    if port not in ("80", "443"):
        return
    subprocess.call("nc -z {} {}".format(host, port), shell=True)  # expect: command-injection
