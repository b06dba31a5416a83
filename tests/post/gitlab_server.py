"""A local GitLab API for the posting tests, holding every request to GitLab's API as python-gitlab models it.

The contract is read from python-gitlab itself: each REST manager of ``gitlab.v4.objects`` has its
path and its mixins (list, get, create, update, delete) and the attributes that create and update
take (``_create_attrs``, ``_update_attrs``) and the filters a list takes. A request that no
manager describes, a body attribute a manager does not take, or a missing required one, is a
violation. One merge request is held in memory; tests read ``requests`` and ``violations``.
"""

from __future__ import annotations

import functools
import itertools
import json
import re
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

PAGING = {"page", "per_page", "pagination", "order_by", "sort", "get_all", "iterator"}


@dataclass(frozen=True)
class Route:
    method: str
    template: str
    pattern: re.Pattern
    manager: str
    body: tuple[frozenset[str], frozenset[str]] | None = None  # (required, allowed)
    query: frozenset[str] = frozenset()


@functools.lru_cache(maxsize=1)
def routes() -> list[Route]:
    from gitlab import base, mixins
    from gitlab.v4 import objects

    found = []
    for cls in vars(objects).values():
        if not (isinstance(cls, type) and issubclass(cls, base.RESTManager) and getattr(cls, "_path", None)):
            continue
        path, name = cls._path, cls.__name__
        without_id = issubclass(cls, mixins.GetWithoutIdMixin)
        item = path if without_id else path + "/{id}"
        query = frozenset(getattr(cls, "_list_filters", ()) or ()) | frozenset(getattr(cls, "_optional_get_attrs", ()) or ())

        def attrs(spec) -> tuple[frozenset[str], frozenset[str]]:
            return frozenset(spec.required), frozenset(spec.required) | frozenset(spec.optional) | frozenset(spec.exclusive)

        def add(method, template, body=None, name=name, query=query):
            pattern = re.compile("^" + re.sub(r"\{(\w+)\}", r"(?P<\1>[^/]+)", template) + "$")
            found.append(Route(method, template, pattern, name, body, query | PAGING))

        if issubclass(cls, mixins.ListMixin):
            add("GET", path)
        if issubclass(cls, mixins.GetMixin) or without_id:
            add("GET", item)
        if issubclass(cls, mixins.CreateMixin):
            add("POST", path, attrs(cls._create_attrs))
        if issubclass(cls, mixins.UpdateMixin):
            _, allowed = attrs(cls._update_attrs)
            # NOTE: an object's save() sends only what changed, so update's "required" is not required there.
            add("PUT", item, (frozenset(), allowed))
        if issubclass(cls, mixins.DeleteMixin):
            add("DELETE", item)
    return found


def check(method: str, path: str, query: dict[str, list[str]], body: Any) -> tuple[Route | None, list[str]]:
    candidates = [route for route in routes() if route.method == method and route.pattern.match(path)]
    if not candidates:
        return None, [f"{method} {path}: no python-gitlab manager describes it"]
    # The most specific template (fewest placeholders) names the request.
    route = min(candidates, key=lambda route: route.template.count("{"))
    problems = [f"{method} {path}: query parameter not described: {key}" for key in query if key not in route.query]
    if route.body is not None:
        required, allowed = route.body
        keys = set(body or {})
        problems += [f"{method} {path}: attribute not described by {route.manager}: {key}" for key in sorted(keys - allowed)]
        problems += [f"{method} {path}: required attribute missing: {key}" for key in sorted(required - keys)]
    elif body:
        problems.append(f"{method} {path}: a body where {route.manager} takes none")
    return route, problems


@dataclass
class FakeGitLab:
    project: str = "42"
    iid: int = 3
    head: str = "2" * 40
    base: str = "0" * 40
    source_project: int = 42
    patches: dict[str, str] = field(default_factory=dict)
    username: str = "codepanel-bot"
    discussions: list[dict[str, Any]] = field(default_factory=list)
    notes: list[dict[str, Any]] = field(default_factory=list)
    requests: list[tuple[str, str]] = field(default_factory=list)
    violations: list[str] = field(default_factory=list)
    read_only: bool = False
    _ids: Any = field(default_factory=lambda: itertools.count(501))

    def start(self) -> str:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def _serve(self):
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length) if length else b""
                try:
                    status, data, headers = fake.handle(self.command, self.path, raw, self.headers.get("Content-Type", ""))
                except Exception as error:  # noqa: BLE001 - a bug of this server fails the test, never hangs it
                    fake.violations.append(f"test server error on {self.command} {self.path}: {error!r}")
                    status, data, headers = 500, {"message": "test server error"}, {}
                payload = json.dumps(data).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                for key, value in headers.items():
                    self.send_header(key, value)
                self.end_headers()
                self.wfile.write(payload)

            do_GET = do_POST = do_PUT = do_DELETE = _serve

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        return self.url

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def handle(self, method: str, raw_path: str, raw: bytes, content_type: str):
        parts = urlsplit(raw_path)
        if not parts.path.startswith("/api/v4/"):
            self.violations.append(f"{method} {parts.path}: outside /api/v4")
            return 404, {"message": "404 Not Found"}, {}
        path = parts.path[len("/api/v4"):]
        query = parse_qs(parts.query)
        body = json.loads(raw) if raw and "json" in content_type else (dict(parse_qs(raw.decode())) if raw else None)
        self.requests.append((method, path))
        _, problems = check(method, path, query, body)
        if problems:
            self.violations += problems
            return 404, {"message": "404 Not Found"}, {}
        if self.read_only and method != "GET":
            return 403, {"message": "403 Forbidden"}, {}
        return self.serve(method, unquote(path), body or {})

    def serve(self, method: str, path: str, body: dict[str, Any]):
        mr = f"/projects/{self.project}/merge_requests/{self.iid}"
        if (method, path) == ("GET", "/user"):
            return 200, {"id": 9, "username": self.username, "web_url": f"{self.url}/{self.username}"}, {}
        if (method, path) == ("GET", mr):
            return 200, {"id": 1, "iid": self.iid, "project_id": int(self.project), "state": "opened",
                         "source_project_id": self.source_project, "target_project_id": int(self.project),
                         "diff_refs": {"base_sha": self.base, "start_sha": self.base, "head_sha": self.head}}, {}  # fmt: skip
        if (method, path) == ("GET", f"{mr}/versions"):
            return 200, [{"id": 77, "head_commit_sha": self.head, "base_commit_sha": self.base,
                          "start_commit_sha": self.base, "state": "collected"}], {}  # fmt: skip
        if (method, path) == ("GET", f"{mr}/versions/77"):
            diffs = [{"old_path": name, "new_path": name, "diff": patch + "\n", "new_file": False,
                      "renamed_file": False, "deleted_file": False} for name, patch in self.patches.items()]  # fmt: skip
            return 200, {"id": 77, "head_commit_sha": self.head, "diffs": diffs}, {}
        if (method, path) == ("GET", f"{mr}/discussions"):
            return 200, self.discussions, {}
        if (method, path) == ("GET", f"{mr}/notes"):
            return 200, [note for d in self.discussions for note in d["notes"]] + self.notes, {}
        if (method, path) == ("POST", f"{mr}/discussions"):
            return self._discussion(body)
        if (method, path) == ("POST", f"{mr}/notes"):
            note = self._note(body["body"])
            self.notes.append(note)
            return 201, note, {}
        if method == "PUT" and (match := re.fullmatch(rf"{re.escape(mr)}/notes/(\d+)", path)):
            note = next(n for n in self.notes if n["id"] == int(match[1]))
            note["body"] = body["body"]
            return 200, note, {}
        if method == "PUT" and (match := re.fullmatch(rf"{re.escape(mr)}/discussions/(\w+)/notes/(\d+)", path)):
            discussion = next(d for d in self.discussions if d["id"] == match[1])
            note = next(n for n in discussion["notes"] if n["id"] == int(match[2]))
            note["body"] = body["body"]
            return 200, note, {}
        if method == "PUT" and (match := re.fullmatch(rf"{re.escape(mr)}/discussions/(\w+)", path)):
            discussion = next(d for d in self.discussions if d["id"] == match[1])
            for note in discussion["notes"]:
                note["resolved"] = bool(body.get("resolved"))
            return 200, discussion, {}
        self.violations.append(f"{method} {path}: described by python-gitlab, but not served by this test server")
        return 404, {"message": "404 Not Found"}, {}

    def _discussion(self, body: dict[str, Any]):
        position = body.get("position") or {}
        needed = {"position_type", "base_sha", "start_sha", "head_sha", "new_path", "new_line"}
        if missing := needed - set(position):
            return 400, {"message": f"position is missing {sorted(missing)}"}, {}
        if position["head_sha"] != self.head or position["new_path"] not in self.patches:
            return 400, {"message": "400 Bad request - Note {:line_code=>[\"can't be blank\"]}"}, {}
        from framework.post.patches import parse

        if int(position["new_line"]) not in parse(position["new_path"], self.patches[position["new_path"]]).added:
            return 400, {"message": "400 Bad request - Note {:line_code=>[\"can't be blank\"]}"}, {}
        note = {**self._note(body["body"]), "type": "DiffNote", "position": position, "resolvable": True, "resolved": False}
        discussion = {"id": f"d{next(self._ids)}", "individual_note": False, "notes": [note]}
        self.discussions.append(discussion)
        return 201, discussion, {}

    def _note(self, body: str, username: str | None = None) -> dict[str, Any]:
        return {"id": next(self._ids), "body": body, "system": False,
                "author": {"id": 9, "username": username or self.username}}  # fmt: skip
