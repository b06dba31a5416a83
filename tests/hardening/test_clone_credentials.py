"""A token in a clone URL is on no command line and in no file, even after a crash; clone folders are
removed when the clone ends and swept at the next one.

The repository is served over http by ``git http-backend`` behind a small server that refuses any
request without the token's ``Authorization`` header.
"""

from __future__ import annotations

import base64
import contextlib
import fcntl
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from framework.config import SourceLimits
from framework.errors import SourceError
from framework.source import fetch, scratch
from tests.conftest import commit_all, git

TOKEN = "ghp_S3cr3tT0kenThatMustNeverLeak0123456789"
LIMITS = SourceLimits(allowed_schemes=["http"], allowed_hosts=["127.0.0.1"])


class GitServer:
    """``git http-backend`` over http on 127.0.0.1, for requests carrying ``expected`` as Basic auth."""

    def __init__(self, project_root: Path, user: str, password: str):
        self.project_root = project_root
        self.expected = "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()
        self.stall = threading.Event()  # set: requests hang (for a clone killed mid-way)
        self.refused = 0
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_GET(self):
                self.serve()

            def do_POST(self):
                self.serve()

            def serve(self):
                if self.headers.get("Authorization") != server.expected:
                    server.refused += 1
                    self.send_response(401)
                    self.send_header("WWW-Authenticate", 'Basic realm="test"')
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                while server.stall.is_set():
                    time.sleep(0.05)
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                parts = urlsplit(self.path)
                env = {"PATH": os.environ["PATH"], "GIT_PROJECT_ROOT": str(server.project_root),
                       "GIT_HTTP_EXPORT_ALL": "1", "PATH_INFO": parts.path, "QUERY_STRING": parts.query,
                       "REQUEST_METHOD": self.command, "CONTENT_TYPE": self.headers.get("Content-Type", ""),
                       "CONTENT_LENGTH": str(len(body)),
                       "HTTP_CONTENT_ENCODING": self.headers.get("Content-Encoding", ""),
                       "GIT_PROTOCOL": self.headers.get("Git-Protocol", "")}  # fmt: skip
                out = subprocess.run(["git", "http-backend"], input=body, env=env, capture_output=True, check=False).stdout
                head, _, payload = out.partition(b"\r\n\r\n")
                lines = head.decode("latin-1").split("\r\n")
                status = next((line.split(" ", 1)[1] for line in lines if line.startswith("Status:")), "200 OK")
                self.send_response(int(status.split()[0]))
                for line in lines:
                    if ":" in line and not line.startswith("Status:"):
                        key, value = line.split(":", 1)
                        self.send_header(key, value.strip())
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.stall.clear()
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def private_tmp(tmp_path, monkeypatch):
    """The clone folders of this test only: the system's temporary directory moved into tmp_path."""
    folder = tmp_path / "tmp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


@pytest.fixture
def served(tmp_path):
    origin = commit_all(tmp_path / "origin", {"README.md": "# private\n", "app.py": "import os\n"})
    root = tmp_path / "served"
    root.mkdir()
    git("clone", "-q", "--bare", str(origin), str(root / "repo.git"), cwd=tmp_path)
    with GitServer(root, "x-access-token", TOKEN) as server:
        yield server


def processes() -> dict[int, tuple[int, str]]:
    """Every process's parent and command line, by process id."""
    found = {}
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            with contextlib.suppress(OSError, ValueError, IndexError):
                line = Path(entry.path, "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
                parent = int(Path(entry.path, "stat").read_text().rsplit(")", 1)[1].split()[1])
                found[int(entry.name)] = (parent, line)
    return found


def command_lines() -> list[str]:
    return [line for _, line in processes().values()]


def ours(table: dict[int, tuple[int, str]], pid: int) -> bool:
    """Whether ``pid`` descends from this test process (other work on the machine runs git too)."""
    while pid > 1:
        if pid == os.getpid():
            return True
        pid = table.get(pid, (0, ""))[0]
    return False


class CommandLines:
    """Samples every process's command line while a clone runs; ``mine`` holds those of this process's children."""

    def __init__(self):
        self.seen: set[str] = set()
        self.mine: set[str] = set()
        self.running = True
        self.thread = threading.Thread(target=self.sample, daemon=True)

    def sample(self):
        while self.running:
            table = processes()
            self.seen.update(line for _, line in table.values())
            self.mine.update(line for pid, (_, line) in table.items() if ours(table, pid))
            time.sleep(0.002)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.running = False
        self.thread.join()


def files_holding(root: Path, *secrets: str) -> list[Path]:
    found = []
    for path in root.rglob("*"):
        if path.is_file() and not path.is_symlink():
            data = path.read_bytes()
            if any(secret.encode() in data for secret in secrets):
                found.append(path)
    return found


def test_a_credentialed_clone_leaks_the_token_nowhere(served, private_tmp, tmp_path):
    url = f"http://x-access-token:{TOKEN}@127.0.0.1:{served.port}/repo.git"
    with CommandLines() as lines:
        manifest = fetch(url, tmp_path / "snapshot", LIMITS)
    assert [entry["path"] for entry in manifest["included"]] == ["README.md", "app.py"]
    assert manifest["repository"] == f"http://127.0.0.1:{served.port}/repo.git"
    assert served.refused == 0  # the very first request carried the header
    clones = [line for line in lines.mine if " clone " in line]
    assert clones, "the sampler saw no git clone command line"
    assert all(f"http://127.0.0.1:{served.port}/repo.git" in line for line in clones)
    assert not [line for line in lines.seen if TOKEN in line]
    header = served.expected.split()[1]
    assert files_holding(tmp_path, TOKEN, header) == []
    assert list(scratch.parent().iterdir()) == [scratch.parent() / "sweep.lock"]  # the clone folder went


def test_a_wrong_token_is_a_one_line_error_without_it(served, private_tmp, tmp_path):
    with pytest.raises(SourceError) as raised:
        fetch(f"http://x-access-token:wrong{TOKEN}@127.0.0.1:{served.port}/repo.git", tmp_path / "snapshot", LIMITS)
    message = str(raised.value)
    assert message.startswith(f"http://127.0.0.1:{served.port}/repo.git: clone failed: ")
    assert TOKEN not in message and "\n" not in message
    assert served.refused >= 1


CLONE_AND_HANG = """
import sys
from pathlib import Path
from framework.config import SourceLimits
from framework.source import fetch
fetch(sys.argv[1], Path(sys.argv[2]), SourceLimits(allowed_schemes=["http"], allowed_hosts=["127.0.0.1"]))
"""


def test_after_a_crash_mid_clone_no_file_holds_the_token_and_the_next_clone_sweeps_the_folder(served, private_tmp, tmp_path):
    served.stall.set()
    url = f"http://x-access-token:{TOKEN}@127.0.0.1:{served.port}/repo.git"
    env = {**os.environ, "TMPDIR": str(private_tmp)}
    child = subprocess.Popen([sys.executable, "-c", CLONE_AND_HANG, url, str(tmp_path / "killed")], env=env,
                             cwd=Path(__file__).resolve().parents[2], start_new_session=True)  # fmt: skip
    try:
        clones = scratch.parent()
        deadline = time.monotonic() + 30
        while not any((folder / "repo").exists() for folder in clones.glob("clone-*") if folder.is_dir()):
            assert time.monotonic() < deadline, "the clone never started"
            time.sleep(0.05)
        time.sleep(0.3)
    finally:
        child.kill()  # kill -9 of the review alone: its git must not live on
        child.wait()
    deadline = time.monotonic() + 10
    while running := [line for line in command_lines() if str(clones) in line]:
        assert time.monotonic() < deadline, f"git outlived the killed review: {running}"
        time.sleep(0.05)
    os.killpg(child.pid, signal.SIGKILL)  # nothing should be left, but never leave it running
    served.stall.clear()
    left = [folder for folder in clones.glob("clone-*") if folder.is_dir()]
    assert len(left) == 1 and (left[0] / "repo" / ".git").exists()
    assert files_holding(tmp_path, TOKEN, served.expected.split()[1]) == []

    # A running clone's folder is never swept: here, one whose lock is held.
    busy = clones / "clone-busy"
    busy.mkdir()
    held = os.open(clones / "clone-busy.lock", os.O_CREAT | os.O_WRONLY)
    fcntl.flock(held, fcntl.LOCK_EX)
    try:
        fetch(url, tmp_path / "snapshot", LIMITS)
        assert not left[0].exists() and not Path(f"{left[0]}.lock").exists()
        assert busy.exists()
    finally:
        os.close(held)
    assert scratch.sweep(clones) == ["clone-busy"]


def test_a_credentialed_review_leaves_the_token_in_no_file_of_the_workspace(cli, config_file, served, private_tmp, workspace, tmp_path):
    config_file.write_text(config_file.read_text().replace("allowed_schemes: [https]", "allowed_schemes: [http]")
                           .replace("allowed_hosts: [github.com,", "allowed_hosts: [127.0.0.1, github.com,"))  # fmt: skip
    url = f"http://x-access-token:{TOKEN}@127.0.0.1:{served.port}/repo.git"
    with CommandLines() as lines:
        result = cli("review", url, "-r", "style", "-f", "json")
    assert result.exit_code == 0, result.stderr
    assert TOKEN not in result.stdout + result.stderr
    assert [line for line in lines.mine if " clone " in line] and not [line for line in lines.seen if TOKEN in line]
    assert files_holding(tmp_path, TOKEN, served.expected.split()[1]) == []
