"""A script file named on the command line is compiled and run."""
# features: source-file, source-argv
import sys


def run_plugin():
    with open(sys.argv[1]) as handle:
        source = handle.read()
    exec(compile(source, "plugin", "exec"))  # expect: code-injection
