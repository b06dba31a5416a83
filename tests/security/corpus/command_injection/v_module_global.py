"""A module-level value read from the environment, used inside a function."""
# features: source-env, propagation-module-globals
import subprocess
import os

PAGER = os.environ.get("PAGER", "less")


def page(path):
    subprocess.run(PAGER + " " + path, shell=True, check=False)  # expect: command-injection
