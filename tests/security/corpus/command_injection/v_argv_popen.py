"""A command-line argument, picked by index, run by os.popen."""
# features: source-argv, propagation-indexing
import os
import sys


def main():
    target = sys.argv[1]
    with os.popen("ping -c 1 " + target) as pipe:  # expect: command-injection
        print(pipe.read())


main()
