"""A command-line tool opening the file its user names is not a traversal (argv is ignored here)."""
# expect: none
# features: source-argv
import sys


def show():
    with open(sys.argv[1]) as handle:
        print(handle.read())
