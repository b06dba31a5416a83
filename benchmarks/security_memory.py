"""Peak memory of the security reviewer on one generated 5 MB Python module.

A single ``ast.parse`` of such a file takes close to a gigabyte; the engine parses a large
file in chunks of top-level statements, so its peak stays near that of one chunk. Each
measurement runs in a fresh process and reports that process's peak resident set size.

Run: ``python benchmarks/security_memory.py [--megabytes 5]``.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BOUND_MB = 512

_TEMPLATE = '''

@app.route("/items/{n}")
def view_{n}():
    value = request.args.get("q{n}", "")
    parts = [value, "x{n}", str(len(value))]
    if value in ALLOWED:
        subprocess.run("ls " + value, shell=True)
    label = helper_{h}(parts[1])
    if {vulnerable}:
        os.system("echo " + value)
    return {{"label": label, "size": len(parts)}}


def helper_{n}(text, suffix="-{n}"):
    digest = hashlib.sha256(text.encode()).hexdigest()
    return text.strip().lower() + suffix + digest[:8]


class Model{n}:
    table = "t{n}"

    def __init__(self, name):
        self.name = name

    def query(self, cursor):
        return cursor.execute("SELECT * FROM " + self.table + " WHERE n = ?", (self.name,))
'''

_MEASURE = r'''
import json, resource, sys, time
sys.path.insert(0, sys.argv[1])
path, mode = sys.argv[2], sys.argv[3]
started = time.perf_counter()
result = {}
if mode == "engine":
    from framework.tree import SourceTree
    from reviewers.security.engine import review
    outcome = review(SourceTree(path.rsplit("/", 1)[0], [path.rsplit("/", 1)[1]], 50_000_000), {"workers": 1})
    result = {"findings": len(outcome.findings), "skipped": outcome.skipped}
else:
    import ast
    ast.parse(open(path, encoding="utf-8").read())
result["seconds"] = round(time.perf_counter() - started, 2)
result["peak_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
print(json.dumps(result))
'''


def generate(path: Path, megabytes: float) -> int:
    header = ("import hashlib\nimport os\nimport subprocess\n\nfrom flask import Flask, request\n\n"
              "app = Flask(__name__)\nALLOWED = ('a', 'b')\n")  # fmt: skip
    size = len(header)
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(header)
        count = 0
        while size < megabytes * 1_000_000:
            block = _TEMPLATE.format(n=count, h=max(count - 1, 0), vulnerable="True" if count % 10 == 0 else "False")
            handle.write(block)
            size += len(block)
            count += 1
    return count


def measure(path: Path, mode: str) -> dict:
    completed = subprocess.run([sys.executable, "-c", _MEASURE, str(ROOT), str(path), mode],
                               capture_output=True, check=True, text=True)  # fmt: skip
    return json.loads(completed.stdout.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--megabytes", type=float, default=5.0)
    parser.add_argument("--skip-baseline", action="store_true", help="do not time a plain ast.parse")
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        path = Path(scratch) / "generated.py"
        views = generate(path, arguments.megabytes)
        print(f"generated {path.stat().st_size / 1e6:.2f} MB: {views} views, helpers and classes")
        engine = measure(path, "engine")
        print(f"security engine: peak {engine['peak_mb']} MB, {engine['seconds']} s, "
              f"{engine['findings']} findings, skipped: {engine['skipped'] or 'none'}")
        if not arguments.skip_baseline:
            plain = measure(path, "parse")
            print(f"for comparison, one ast.parse of the whole file: peak {plain['peak_mb']} MB, {plain['seconds']} s")
    bounded = engine["peak_mb"] <= BOUND_MB and not engine["skipped"]
    print(f"bounded (<= {BOUND_MB} MB, file analyzed): {'yes' if bounded else 'no'}")
    return 0 if bounded else 1


if __name__ == "__main__":
    sys.exit(main())
