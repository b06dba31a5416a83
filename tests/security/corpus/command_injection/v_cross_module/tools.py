import subprocess


def convert(source, target):
    subprocess.run(f"convert {source} {target}", shell=True, check=True)  # expect: command-injection
