"""Test doubles around the real local durable-execution API (the testing package's `dex-local-runner`).

`LocalLambda` stands in for the Lambda service's front: the one HTTP endpoint that `codepanel run`
talks to. It runs the functions' handlers in this process, as Lambda would run their images:

- a handler invocation (the runner's Invoke, marked with X-Dex-Handler-Invoke) of the
  orchestrator runs ``framework.cloud.lambda_orchestrator.handler`` on the durable envelope;
- a caller's asynchronous Invoke of the orchestrator starts a durable execution, as Lambda does,
  by asking the local runner (POST /start-durable-execution) and answering 202 with its ARN;
- an Invoke of a reviewer function (the runner's chained invoke) runs
  ``framework.cloud.lambda_reviewer.handler``;
- everything else (GetDurableExecution, ListDurableExecutionsByFunction...) is passed to the
  local runner, which implements it.

`MountAsBucket` reads the workspace as the bucket that S3 Files keeps in sync with it.
"""

from __future__ import annotations

import json
import re
import threading
import traceback
import urllib.error
import urllib.request
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

ACCOUNT = "123456789012"
INVOKE_PATH = re.compile(r"^/2015-03-31/functions/(?P<name>[^/]+)/invocations$")


def bare_name(identifier: str) -> str:
    """``arn:...:function:NAME:QUALIFIER`` or ``NAME:QUALIFIER`` -> ``NAME``."""
    if identifier.startswith("arn:"):
        identifier = identifier.split(":function:", 1)[1]
    return identifier.split(":", 1)[0]


class LocalLambda:
    def __init__(self, runner_url: str, orchestrator: str, port: int = 0, execution_timeout: int = 120):
        self.runner_url = runner_url
        self.orchestrator = orchestrator
        self.execution_timeout = execution_timeout
        self.invoked: list[str] = []
        self.server = ThreadingHTTPServer(("127.0.0.1", port), self._handler_class())
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> LocalLambda:
        self.thread.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.server.shutdown()
        self.server.server_close()

    # ------------------------------------------------------------------ what Lambda would run

    def run_function(self, name: str, payload: dict, marked: bool) -> dict:
        from aws_durable_execution_sdk_python_testing.invoker import create_test_lambda_context

        from framework.cloud import lambda_orchestrator, lambda_reviewer

        self.invoked.append(name)
        context = create_test_lambda_context(region="us-east-1", account_id=ACCOUNT, function_name=f"{name}:live")
        if name == self.orchestrator and marked:
            return lambda_orchestrator.handler(payload, context)
        return lambda_reviewer.handler(payload, context)

    def start_execution(self, name: str, execution_name: str, payload: bytes) -> str:
        body = json.dumps({
            "AccountId": ACCOUNT, "FunctionName": name, "FunctionQualifier": "live",
            "ExecutionName": execution_name, "ExecutionTimeoutSeconds": self.execution_timeout,
            "ExecutionRetentionPeriodDays": 1, "InvocationId": str(uuid.uuid4()), "Input": payload.decode(),
        }).encode()  # fmt: skip
        request = urllib.request.Request(
            f"{self.runner_url}/start-durable-execution", data=body, method="POST",
            headers={"Content-Type": "application/json"},
        )  # fmt: skip
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 - loopback only
            return json.loads(response.read())["ExecutionArn"]

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        front = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def _send(self, status: int, body: bytes = b"", headers: dict[str, str] | None = None) -> None:
                self.send_response(status)
                for key, value in (headers or {}).items():
                    self.send_header(key, value)
                self.send_header("Content-Length", str(len(body)))
                try:
                    self.end_headers()
                    self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the caller stopped waiting (a timed-out run): as Lambda, finish anyway

            def _body(self) -> bytes:
                return self.rfile.read(int(self.headers.get("Content-Length") or 0))

            def do_POST(self) -> None:
                path = urlsplit(self.path).path
                match = INVOKE_PATH.match(path)
                if not match:
                    return self._proxy("POST", self._body())
                name = bare_name(unquote(match["name"]))
                payload = self._body()
                marked = self.headers.get("X-Dex-Handler-Invoke") == "true"
                if name == front.orchestrator and not marked:
                    arn = front.start_execution(name, self.headers.get("X-Amz-Durable-Execution-Name", ""), payload)
                    return self._send(202, b"", {"X-Amz-Durable-Execution-Arn": arn})
                try:
                    result = front.run_function(name, json.loads(payload or b"{}"), marked)
                except Exception as error:  # what Lambda answers for an unhandled error
                    body = json.dumps({"errorType": type(error).__name__, "errorMessage": str(error),
                                       "stackTrace": traceback.format_exc().splitlines()})  # fmt: skip
                    return self._send(200, body.encode(), {"X-Amz-Function-Error": "Unhandled"})
                return self._send(200, json.dumps(result).encode(), {"Content-Type": "application/json"})

            def do_GET(self) -> None:
                self._proxy("GET", None)

            def _proxy(self, method: str, body: bytes | None) -> None:
                request = urllib.request.Request(front.runner_url + self.path, data=body, method=method,
                                                 headers={"Content-Type": "application/json"})  # fmt: skip
                try:
                    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 - loopback only
                        status, data, headers = response.status, response.read(), dict(response.headers)
                except urllib.error.HTTPError as error:
                    status, data, headers = error.code, error.read(), dict(error.headers)
                keep = {k: v for k, v in headers.items() if k.lower().startswith(("content-type", "x-amz"))}
                self._send(status, data, keep)

        return Handler


class MountAsBucket:
    """``get_object`` on the workspace's files, as S3 Files syncs them into the bucket."""

    class exceptions:  # noqa: N801 - botocore's shape
        pass

    def __init__(self, mount: Path, prefix: str):
        self.mount, self.prefix = mount, prefix

    def get_object(self, Bucket: str, Key: str) -> dict:  # noqa: N803 - boto3's names
        import io

        import botocore.exceptions

        path = self.mount / Key[len(self.prefix):]
        if not path.is_file():
            raise botocore.exceptions.ClientError({"Error": {"Code": "NoSuchKey", "Message": "not there"}}, "GetObject")
        return {"Body": io.BytesIO(path.read_bytes())}
