"""exec of a file the program names itself (a constant path) runs the program's own code."""
# expect: none
# features: source-file, precision-constant-data
def load_defaults(namespace):
    with open("defaults_config.py") as handle:
        exec(handle.read(), namespace)
