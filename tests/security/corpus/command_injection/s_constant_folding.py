"""Twin of v_argv_popen: the branch that reads argv is dead (DEBUG is False)."""
# expect: none
# features: precision-constant-folding
import os
import sys

DEBUG = False


def main():
    target = "localhost"
    if DEBUG:
        target = sys.argv[1]
    with os.popen("ping -c 1 " + target) as pipe:
        print(pipe.read())


main()
