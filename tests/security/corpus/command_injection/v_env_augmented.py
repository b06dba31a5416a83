"""An environment variable appended to a command with +=."""
# features: source-env, propagation-augmented-assignment
import os


def open_editor(filename):
    command = os.environ.get("EDITOR", "vi")
    command += " " + filename
    os.system(command)  # expect: command-injection
