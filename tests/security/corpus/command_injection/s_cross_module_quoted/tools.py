import shlex
import subprocess


def convert(source, target):
    subprocess.run(f"convert {shlex.quote(source)} {shlex.quote(target)}", shell=True, check=True)
