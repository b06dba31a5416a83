"""A scripted Strands model, and helpers shared by the agent tests."""

from __future__ import annotations

import copy
import itertools
import json
from typing import Any

from strands.models.model import Model

from framework.config import ReviewerConfig
from framework.findings import Finding
from framework.reviewer import Reviewer

USAGE = {"inputTokens": 100, "outputTokens": 20, "totalTokens": 120}


def call(name: str, **tool_input: Any) -> dict[str, Any]:
    """A tool call in a scripted reply."""
    return {"tool": name, "input": tool_input}


def text(value: str) -> dict[str, Any]:
    """Plain text in a scripted reply."""
    return {"text": value}


def raw_call(name: str, raw_input: str) -> dict[str, Any]:
    """A tool call whose input is sent as it is (possibly not JSON)."""
    return {"tool": name, "raw": raw_input}


class ScriptedModel(Model):
    """A Strands model that replies from a script and records every request it gets.

    Each reply is a list of ``call``/``text`` items, or a function of the request's messages
    that returns one. When the script runs out, the model repeats its last reply.
    """

    def __init__(self, replies: list[Any], usage: dict[str, int] | None = None):
        self.replies = list(replies)
        self.usage = usage or USAGE
        self.requests: list[dict[str, Any]] = []
        self.config: dict[str, Any] = {"model_id": "scripted"}
        self._ids = itertools.count(1)

    def update_config(self, **model_config: Any) -> None:
        self.config.update(model_config)

    def get_config(self) -> dict[str, Any]:
        return self.config

    async def structured_output(self, output_model, prompt, system_prompt=None, **kwargs):
        raise NotImplementedError("the agent asks for structured output through a tool")
        yield  # pragma: no cover

    async def stream(self, messages, tool_specs=None, system_prompt=None, *, tool_choice=None, **kwargs):
        self.requests.append({
            "messages": copy.deepcopy(messages), "tools": [spec["name"] for spec in tool_specs or []],
            "system": system_prompt, "tool_choice": tool_choice,
        })  # fmt: skip
        index = len(self.requests) - 1
        reply = self.replies[min(index, len(self.replies) - 1)]
        if callable(reply):
            reply = reply(messages)
        yield {"messageStart": {"role": "assistant"}}
        uses_tool = False
        for item in reply:
            if "text" in item:
                yield {"contentBlockStart": {"start": {}}}
                yield {"contentBlockDelta": {"delta": {"text": item["text"]}}}
                yield {"contentBlockStop": {}}
                continue
            uses_tool = True
            tool_id = f"call-{next(self._ids)}"
            raw = item.get("raw", json.dumps(item.get("input", {})))
            yield {"contentBlockStart": {"start": {"toolUse": {"toolUseId": tool_id, "name": item["tool"]}}}}
            yield {"contentBlockDelta": {"delta": {"toolUse": {"input": raw}}}}
            yield {"contentBlockStop": {}}
        yield {"messageStop": {"stopReason": "tool_use" if uses_tool else "end_turn"}}
        yield {"metadata": {"usage": dict(self.usage), "metrics": {"latencyMs": 1}}}

    def tool_results(self) -> list[dict[str, Any]]:
        """Every tool result the model was sent, in order (from the last request's history)."""
        if not self.requests:
            return []
        results = []
        for message in self.requests[-1]["messages"]:
            for block in message["content"]:
                if "toolResult" in block:
                    result = block["toolResult"]
                    results.append({
                        "status": result["status"],
                        "text": "".join(item.get("text", "") for item in result["content"]),
                    })  # fmt: skip
        return results


class PlainReviewer(Reviewer):
    name = "plain"
    prompt = "You are a careful reviewer."


def reviewer_config(**overrides: Any) -> ReviewerConfig:
    data: dict[str, Any] = {
        "name": "plain", "plugin": "plain", "model": "openai:scripted", "timeout": 120, "memory": 1024,
        "limits": {"max_turns": 10, "max_tokens": 100_000, "max_files_read": 20},
        "price": {"input": 3.0, "output": 15.0},
    }  # fmt: skip
    for key, value in overrides.items():
        if isinstance(value, dict) and isinstance(data.get(key), dict):
            data[key] = {**data[key], **value}
        else:
            data[key] = value
    return ReviewerConfig.model_validate(data)


def analyzer_findings() -> list[Finding]:
    return [
        Finding(rule_id="command-injection", message="os.system() with a non-constant command",
                file="app/main.py", line=5, severity="high", cwe=78, reviewer="plain"),
        Finding(rule_id="unused", message="something unused", file="app/main.py", line=8,
                severity="low", reviewer="plain"),
    ]  # fmt: skip
