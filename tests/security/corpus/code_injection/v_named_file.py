"""Twin of s_own_file: the path comes from the environment, so the file is not the program's own."""
# features: source-file, source-env
import os


def load_defaults(namespace):
    with open(os.environ["SETTINGS_FILE"]) as handle:
        exec(handle.read(), namespace)  # expect: code-injection
