"""One-line messages for reviewers.yaml mistakes: the key path, what was expected, what was found."""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError


def first_message(error: ValidationError, known: list[str] | None = None) -> str:
    """One line for the first problem: the key path, what was expected, what was found.

    ``known`` are the keys of the model that was validated: an unknown key at its top level lists them.
    """
    problem = error.errors(include_url=False)[0]
    parts = [part for part in problem["loc"] if not _is_internal(part)]
    path = ".".join(str(part) for part in parts)
    kind = problem["type"]
    found = problem.get("input")
    if kind == "extra_forbidden":
        if known is not None and len(parts) == 1:
            return f"{path}: unknown key (known: {', '.join(known) or 'none'})"
        return f"{path}: unknown key"
    if kind == "missing":
        return f"{path}: required key is missing"
    if kind == "invalid_key":
        return f"{path}: keys must be strings, got {show(found)}"
    expected = _EXPECTED.get(kind)
    if expected is None:
        expected = problem["msg"].removeprefix("Value error, ")
        if kind == "literal_error" and "ctx" in problem:
            expected = f"expected one of {problem['ctx']['expected']}"
    limit = problem.get("ctx", {})
    if limit.get("gt") == 0:
        expected = "expected a positive integer"
    elif isinstance(limit.get("ge", limit.get("le")), float):  # a bounded number, not an integer
        bound = f"at least {limit['ge']:g}" if "ge" in limit else f"at most {limit['le']:g}"
        expected = f"expected a number {bound}"
    elif "gt" in limit:
        expected = f"{expected} greater than {limit['gt']}"
    elif "ge" in limit:
        expected = f"{expected} of at least {limit['ge']}"
    elif "le" in limit:
        expected = f"{expected} of at most {limit['le']}"
    message = f"{path}: {expected}" if path else expected
    if kind != "value_error" and "got" not in message:
        message += f", got {show(found)}"
    return " ".join(message.split())


def _is_internal(part: Any) -> bool:
    # pydantic adds tags such as "function-before[...]" or "str" for union members.
    return isinstance(part, str) and ("[" in part or part in ("str", "int", "bool", "dict"))


_EXPECTED = {
    "int_type": "expected an integer",
    "int_strict": "expected an integer",
    "int_parsing": "expected an integer",
    "int_from_float": "expected an integer",
    "greater_than": "expected an integer",
    "greater_than_equal": "expected an integer",
    "less_than_equal": "expected an integer",
    "float_type": "expected a number",
    "float_parsing": "expected a number",
    "bool_type": "expected true or false",
    "bool_parsing": "expected true or false",
    "string_type": "expected a string",
    "dict_type": "expected a mapping",
    "model_type": "expected a mapping",
    "model_attributes_type": "expected a mapping",
    "list_type": "expected a list",
}


def kind(value: Any) -> str:
    return {list: "a list", str: "a string", int: "an integer", float: "a number", bool: "a boolean"}.get(
        type(value), type(value).__name__
    )


def show(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."
