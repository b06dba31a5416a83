"""A small OpenAI-compatible chat server on loopback, for end-to-end tests.

It answers ``POST /v1/chat/completions`` from a script (a function of the request), streams the
reply as Server-Sent Events the way real servers do (the role and tool-call deltas in pieces,
then the finish reason, then a last chunk with no choices and the token usage, then ``[DONE]``),
checks the bearer key, and records every request it gets.
"""

from __future__ import annotations

import itertools
import json
import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Self

Reply = dict[str, Any]  # {"tool": name, "arguments": {...}} or {"text": "..."}


class ChatServer:
    def __init__(self, script: Callable[[dict[str, Any]], Reply], api_key: str, usage=(100, 10)):
        self.script = script
        self.api_key = api_key
        self.usage = usage
        self.requests: list[dict[str, Any]] = []
        self.refused = 0
        self._ids = itertools.count(1)
        self._lock = threading.Lock()
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}/v1"

    def __enter__(self) -> Self:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def do_POST(self) -> None:
                if self.path != "/v1/chat/completions":
                    self._json(404, {"error": {"message": f"no route {self.path}"}})
                    return
                if self.headers.get("Authorization") != f"Bearer {server.api_key}":
                    with server._lock:
                        server.refused += 1
                    self._json(401, {"error": {"message": "bad key", "type": "invalid_request_error"}})
                    return
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                with server._lock:
                    server.requests.append(body)
                    number = next(server._ids)
                reply = server.script(body)
                self.send_response(200)
                self.send_header("Content-Type", "text/event-stream")
                self.send_header("Cache-Control", "no-cache")
                self.end_headers()
                for chunk in server.chunks(body, reply, f"chatcmpl-{number}"):
                    self.wfile.write(f"data: {json.dumps(chunk)}\n\n".encode())
                    self.wfile.flush()
                self.wfile.write(b"data: [DONE]\n\n")
                self.wfile.flush()
                self.close_connection = True

            def _json(self, status: int, data: dict[str, Any]) -> None:
                payload = json.dumps(data).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

        return Handler

    def chunks(self, request: dict[str, Any], reply: Reply, chunk_id: str) -> list[dict[str, Any]]:
        def chunk(choices: list[dict[str, Any]], **extra: Any) -> dict[str, Any]:
            return {"id": chunk_id, "object": "chat.completion.chunk", "created": 1_700_000_000,
                    "model": request["model"], "choices": choices, **extra}  # fmt: skip

        def delta(content: dict[str, Any], finish: str | None = None) -> dict[str, Any]:
            return chunk([{"index": 0, "delta": content, "finish_reason": finish}])

        out = [delta({"role": "assistant", "content": ""})]
        if "text" in reply:
            text = reply["text"]
            out += [delta({"content": text[i:i + 16]}) for i in range(0, len(text), 16)]
            finish = "stop"
        else:
            arguments = json.dumps(reply["arguments"])
            call_id = f"call_{chunk_id}"
            out.append(delta({"tool_calls": [{"index": 0, "id": call_id, "type": "function",
                                              "function": {"name": reply["tool"], "arguments": ""}}]}))  # fmt: skip
            out += [
                delta({"tool_calls": [{"index": 0, "function": {"arguments": arguments[i:i + 24]}}]})
                for i in range(0, len(arguments), 24)
            ]
            finish = "tool_calls"
        out.append(delta({}, finish))
        prompt_tokens, completion_tokens = self.usage
        out.append(chunk([], usage={"prompt_tokens": prompt_tokens, "completion_tokens": completion_tokens,
                                    "total_tokens": prompt_tokens + completion_tokens}))  # fmt: skip
        return out


def tool_names(request: dict[str, Any]) -> list[str]:
    return [tool["function"]["name"] for tool in request.get("tools") or []]


def message_text(message: dict[str, Any]) -> str:
    content = message.get("content") or ""
    if isinstance(content, list):
        return "".join(part.get("text", "") for part in content)
    return content
