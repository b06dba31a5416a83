"""What models cost: a small built-in price table, overridable in reviewers.yaml (``pricing:``).

Prices are US dollars per million tokens, as the providers listed them in 2025. They are
estimates: check your provider's price list and set ``pricing:`` for the models you use.
"""

from __future__ import annotations

from typing import Any

from framework.config import ModelSpec, Price

# provider -> (a part of the model id, price); the longest matching part wins, so
# "gpt-4o-mini" is not priced as "gpt-4o" and "claude-opus-4-5" not as "claude-opus-4".
BUILT_IN: dict[str, list[tuple[str, Price]]] = {
    "anthropic": [
        ("claude-opus-4-5", Price(input=5.0, output=25.0)),
        ("claude-opus-4", Price(input=15.0, output=75.0)),
        ("claude-sonnet-4", Price(input=3.0, output=15.0)),
        ("claude-3-7-sonnet", Price(input=3.0, output=15.0)),
        ("claude-3-5-sonnet", Price(input=3.0, output=15.0)),
        ("claude-haiku-4-5", Price(input=1.0, output=5.0)),
        ("claude-3-5-haiku", Price(input=0.8, output=4.0)),
        ("claude-3-haiku", Price(input=0.25, output=1.25)),
    ],
    "openai": [
        ("gpt-5-nano", Price(input=0.05, output=0.4)),
        ("gpt-5-mini", Price(input=0.25, output=2.0)),
        ("gpt-5", Price(input=1.25, output=10.0)),
        ("gpt-4.1-nano", Price(input=0.1, output=0.4)),
        ("gpt-4.1-mini", Price(input=0.4, output=1.6)),
        ("gpt-4.1", Price(input=2.0, output=8.0)),
        ("gpt-4o-mini", Price(input=0.15, output=0.6)),
        ("gpt-4o", Price(input=2.5, output=10.0)),
        ("o4-mini", Price(input=1.1, output=4.4)),
        ("o3", Price(input=2.0, output=8.0)),
    ],
    "bedrock": [
        ("nova-micro", Price(input=0.035, output=0.14)),
        ("nova-lite", Price(input=0.06, output=0.24)),
        ("nova-pro", Price(input=0.8, output=3.2)),
    ],
}
# Claude on Bedrock costs what it costs from Anthropic.
BUILT_IN["bedrock"] += BUILT_IN["anthropic"]


def price_of(model: ModelSpec, override: Price | None = None) -> Price | None:
    """The price of ``model``: ``override`` (from reviewers.yaml), the built-in table, or None."""
    if override is not None:
        return override
    if model.offline or model.provider == "ollama":
        return Price(input=0.0, output=0.0)  # runs on your own machine
    model_id = (model.model_id or "").lower()
    matches = [(len(part), price) for part, price in BUILT_IN.get(model.provider, []) if part in model_id]
    return max(matches, key=lambda match: match[0])[1] if matches else None


def cost(price: Price | None, input_tokens: int, output_tokens: int) -> float | None:
    """Estimated US dollars for the tokens, or None when the price is unknown."""
    if price is None:
        return None
    return round((input_tokens * price.input + output_tokens * price.output) / 1_000_000, 6)


def usage_record(
    model: ModelSpec, override: Price | None, input_tokens: int, output_tokens: int, model_calls: int
) -> dict[str, Any]:
    """The ``usage`` of a results file: tokens, model calls and the estimated cost."""
    return {
        "input_tokens": input_tokens,
        "output_tokens": output_tokens,
        "total_tokens": input_tokens + output_tokens,
        "model_calls": model_calls,
        "estimated_cost_usd": cost(price_of(model, override), input_tokens, output_tokens),
    }
