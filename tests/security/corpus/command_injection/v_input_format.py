"""Console input formatted into a command with str.format."""
# features: source-input, propagation-format
import subprocess


def ping():
    host = input("host: ")
    subprocess.call("ping -c 1 {}".format(host), shell=True)  # expect: command-injection
