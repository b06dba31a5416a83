"""Twin of v_input_format: an allow-list check that returns early."""
# expect: none
# features: sanitizer-allowlist, precision-early-return
import subprocess

KNOWN_HOSTS = ("db", "cache", "queue")


def ping():
    host = input("host: ")
    if host not in KNOWN_HOSTS:
        print("unknown host")
        return
    subprocess.call("ping -c 1 {}".format(host), shell=True)
