"""GitHub's official OpenAPI description (npm's @octokit/openapi) as a contract a test server enforces.

Every request is checked by openapi-core against the description: its path and method, its
parameters, and its body, where a property the description does not name is a violation too
(GitHub's schemas allow extra properties, a contract test must not). Every response the test
server sends is checked as well, so the server cannot answer in a shape GitHub never would. The
bodies of responses start from an instance the schema itself requires (``example``), overlaid
with the fields the test gives.

The description is found through ``CODEPANEL_OCTOKIT_OPENAPI``: the package's folder (what
``npm pack @octokit/openapi`` unpacks; ``.ci/run`` fetches it).
"""

from __future__ import annotations

import functools
import json
import os
from pathlib import Path
from typing import Any

SPEC_VARIABLE = "CODEPANEL_OCTOKIT_OPENAPI"
DOTCOM = "api.github.com.json"
GHES = "ghes-3.19.json"


def spec_folder() -> Path | None:
    folder = os.environ.get(SPEC_VARIABLE)
    if not folder:
        return None
    path = Path(folder) / "generated"
    return path if (path / DOTCOM).is_file() else None


class Contract:
    """One OpenAPI description, and checks of requests and responses against it."""

    def __init__(self, path: Path):
        from openapi_core import Config, OpenAPI

        self.spec = json.loads(path.read_text(encoding="utf-8"))
        # NOTE: the description is GitHub's own; validating the 13 MB document itself adds nothing.
        self.api = OpenAPI.from_dict(self.spec, config=Config(spec_validator_cls=None))
        server = self.spec["servers"][0]
        url = server["url"]
        for name, variable in server.get("variables", {}).items():
            url = url.replace("{" + name + "}", variable["default"])
        self.server_url = url  # https://api.github.com, or http://HOSTNAME/api/v3

    def check_request(self, method: str, path: str, query: dict[str, list[str]], body: bytes | None,
                      template: str | None) -> list[str]:  # fmt: skip
        """Violations of one request; ``path`` is relative to the API's root."""
        request = _Request(self.server_url, method, path, query, body)
        result = self.api.unmarshal_request(request)
        problems = [_describe(error) for error in result.errors]
        if not problems and body and template:
            schema = self._body_schema(template, method)
            problems += [f"body property not described: {name}"
                         for name in _undescribed(json.loads(body), schema, self)]  # fmt: skip
        return [f"{method.upper()} {path}: {problem}" for problem in problems]

    def check_response(self, method: str, path: str, query, body: bytes | None, status: int,
                       data: Any, headers: dict[str, str]) -> list[str]:  # fmt: skip
        request = _Request(self.server_url, method, path, query, body)
        response = _Response(status, json.dumps(data).encode(), headers)
        result = self.api.unmarshal_response(request, response)
        return [f"response to {method.upper()} {path} ({status}): {_describe(error)}" for error in result.errors]

    def resolve(self, schema: dict[str, Any]) -> dict[str, Any]:
        while "$ref" in schema:
            node: Any = self.spec
            for part in schema["$ref"].lstrip("#/").split("/"):
                node = node[part]
            schema = node
        return schema

    def response_schema(self, template: str, method: str, status: int) -> dict[str, Any]:
        response = self.resolve(self.spec["paths"][template][method.lower()]["responses"][str(status)])
        return self.resolve(response["content"]["application/json"]["schema"])

    def example(self, template: str, method: str, status: int, /, **fields: Any) -> Any:
        """A response body the schema accepts, with ``fields`` laid over it (nested dicts merged)."""
        base = _example_of(self, json.dumps(self.response_schema(template, method, status), sort_keys=True))
        return _merge(json.loads(json.dumps(base)), fields)

    def item_example(self, template: str, method: str, status: int, /, **fields: Any) -> Any:
        """An item of a list response."""
        schema = self.response_schema(template, method, status)
        base = _example_of(self, json.dumps(self.resolve(schema["items"]), sort_keys=True))
        return _merge(json.loads(json.dumps(base)), fields)

    def schema_example(self, name: str, /, **fields: Any) -> Any:
        """An instance of ``components/schemas/NAME`` with ``fields`` laid over it."""
        base = _example_of(self, json.dumps({"$ref": f"#/components/schemas/{name}"}))
        return _merge(json.loads(json.dumps(base)), fields)

    def _body_schema(self, template: str, method: str) -> dict[str, Any]:
        operation = self.spec["paths"][template][method.lower()]
        body = self.resolve(operation.get("requestBody", {}))
        return self.resolve(body.get("content", {}).get("application/json", {}).get("schema", {}))


@functools.cache
def load(name: str = DOTCOM) -> Contract:
    folder = spec_folder()
    assert folder is not None, f"{SPEC_VARIABLE} is not set"
    return Contract(folder / name)


@functools.lru_cache(maxsize=4096)
def _example_of(contract: Contract, schema_text: str) -> Any:
    return _example(contract, json.loads(schema_text), 0)


def _example(contract: Contract, schema: dict[str, Any], depth: int) -> Any:
    schema = contract.resolve(schema)
    for key in ("allOf",):
        if key in schema:
            merged: dict[str, Any] = {}
            for part in schema[key]:
                value = _example(contract, part, depth + 1)
                if isinstance(value, dict):
                    merged.update(value)
            return merged
    for key in ("oneOf", "anyOf"):
        if key in schema:
            return _example(contract, schema[key][0], depth + 1)
    if schema.get("nullable") and depth > 6:
        return None
    if "enum" in schema:
        return next((value for value in schema["enum"] if value is not None), None)
    kind = schema.get("type", "object")
    if kind == "object":
        return {name: _example(contract, schema.get("properties", {}).get(name, {}), depth + 1)
                for name in schema.get("required", [])}  # fmt: skip
    if kind == "array":
        return []
    if kind == "integer":
        return 1
    if kind == "number":
        return 1.0
    if kind == "boolean":
        return False
    fmt = schema.get("format")
    if fmt == "date-time":
        return "2026-12-01T00:00:00Z"
    if fmt == "uri":
        return "https://example.com/x"
    if fmt == "email":
        return "someone@example.com"
    return "x"


def _merge(base: Any, fields: dict[str, Any]) -> Any:
    for key, value in fields.items():
        if isinstance(value, dict) and isinstance(base.get(key), dict):
            _merge(base[key], value)
        else:
            base[key] = value
    return base


def _undescribed(value: Any, schema: dict[str, Any], contract: Contract, where: str = "") -> list[str]:
    schema = contract.resolve(schema)
    found = []
    if isinstance(value, dict) and "properties" in schema:
        for name, item in value.items():
            if name not in schema["properties"]:
                found.append(f"{where}{name}")
            else:
                found += _undescribed(item, schema["properties"][name], contract, f"{where}{name}.")
    elif isinstance(value, list) and "items" in schema:
        for index, item in enumerate(value):
            found += _undescribed(item, schema["items"], contract, f"{where}{index}.")
    return found


def _describe(error: BaseException) -> str:
    causes = []
    cause = error.__cause__ or error.__context__
    while cause is not None and len(causes) < 3:
        causes.append(" ".join(str(cause).split())[:300])
        cause = cause.__cause__ or cause.__context__
    for nested in getattr(error, "schema_errors", None) or []:
        causes.append(" ".join(str(nested.message).split())[:300])
    return f"{type(error).__name__}" + (f": {'; '.join(causes)}" if causes else f": {error}")


class _Request:
    def __init__(self, server_url: str, method: str, path: str, query: dict[str, list[str]], body: bytes | None):
        from openapi_core.datatypes import RequestParameters
        from werkzeug.datastructures import Headers, ImmutableMultiDict

        scheme_host = server_url.split("/", 3)
        self.host_url = "/".join(scheme_host[:3])
        base = "/" + scheme_host[3] if len(scheme_host) > 3 else ""
        self.path = base + path
        self.full_url_pattern = self.host_url + self.path
        self.method = method.lower()
        self.content_type = "application/json"
        self.body = body or None
        self.parameters = RequestParameters(
            query=ImmutableMultiDict([(key, value) for key, values in query.items() for value in values]),
            header=Headers({"Content-Type": "application/json"}), cookie=ImmutableMultiDict(), path={},
        )  # fmt: skip


class _Response:
    def __init__(self, status: int, data: bytes, headers: dict[str, str]):
        from werkzeug.datastructures import Headers

        self.status_code = status
        self.data = data
        self.content_type = "application/json"
        self.headers = Headers(headers)
