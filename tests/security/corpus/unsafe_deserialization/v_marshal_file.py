"""marshal.loads of a file named on the command line."""
# features: source-file, source-argv
import marshal
import sys


def load_code():
    with open(sys.argv[1], "rb") as handle:
        return marshal.loads(handle.read())  # expect: unsafe-deserialization
