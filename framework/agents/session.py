"""A model session: one model and what it may spend (tokens, time), counting calls, tokens and cost.

Reviewers' agents use it, and so do aggregators (``ask``), so that every model call of a run is
bounded and accounted for in the same way. Strands is imported only when a call is made.
"""

from __future__ import annotations

import threading
import time
from typing import Any

from pydantic import BaseModel

from framework.config import ModelSpec, Price, ReviewerConfig
from framework.errors import describe

STOP_NOTES = {
    "limit_turns": "limits.max_turns ({max_turns})",
    "limit_total_tokens": "limits.max_tokens ({max_tokens})",
    "cancelled": "the reviewer timeout ({timeout} s)",
}



class ModelSession:
    """One model and what it may spend: tokens, time; counts tokens, calls and the cost.

    Reviewers' agents use it, and so do aggregators (``ask``), so that every model call of a run
    is bounded and accounted for in the same way.
    """

    def __init__(
        self,
        spec: ModelSpec,
        price: Price | None = None,
        max_tokens: int = 200_000,
        deadline: float | None = None,
        model: Any = None,
    ):
        self.spec = spec
        self.price = price
        self.max_tokens = max_tokens
        self.deadline = deadline  # time.monotonic() by which every call must be over
        self._model = model
        self.input_tokens = 0
        self.output_tokens = 0
        self.model_calls = 0
        self.last_error: str | None = None

    @property
    def label(self) -> str:
        return self.spec.label()

    @property
    def model(self) -> Any:
        if self._model is None:
            from framework.agents import providers as models

            self._model = models.build(self.spec, timeout=self.seconds_left())
        return self._model

    def tokens_left(self) -> int:
        return self.max_tokens - self.input_tokens - self.output_tokens

    def seconds_left(self) -> float | None:
        return None if self.deadline is None else self.deadline - time.monotonic()

    def exhausted(self) -> str | None:
        """The limit that leaves no room for another call, if one does."""
        if self.tokens_left() <= 0:
            return "limit_total_tokens"
        left = self.seconds_left()
        if left is not None and left <= 0:
            return "cancelled"
        return None

    def usage(self) -> dict[str, Any]:
        from framework.agents.pricing import usage_record

        return usage_record(self.spec, self.price, self.input_tokens, self.output_tokens, self.model_calls)

    def run(
        self, system: str, prompt: str, output_model: type[BaseModel], tools: list[Any] = (), turns: int = 2
    ) -> tuple[BaseModel | None, str]:
        """Run an agent to a structured result; returns (result or None, why it stopped)."""
        if stop := self.exhausted():
            return None, stop
        from strands import Agent, ModelRetryStrategy
        from strands.agent.conversation_manager import NullConversationManager
        from strands.hooks import AfterModelCallEvent
        from strands.types.exceptions import StructuredOutputException

        agent = Agent(
            model=self.model, tools=list(tools), system_prompt=system, callback_handler=None,
            conversation_manager=NullConversationManager(),
            retry_strategy=ModelRetryStrategy(max_attempts=3, initial_delay=2, max_delay=20),
        )  # fmt: skip
        agent.add_hook(self._count_call, AfterModelCallEvent)
        cancel = threading.Event()
        left = self.seconds_left()
        timer = threading.Timer(max(left, 0), cancel.set) if left is not None else None
        if timer:
            timer.daemon = True
            timer.start()
        try:
            result = agent(
                prompt, structured_output_model=output_model, cancel_signal=cancel,
                limits={"turns": turns, "total_tokens": self.tokens_left()},
            )  # fmt: skip
        except StructuredOutputException as error:
            self.last_error = describe(error, 300)
            return None, "malformed"
        except Exception as error:  # noqa: BLE001 - reported as why the agent stopped
            self.last_error = describe(error, 300)
            return None, "cancelled" if cancel.is_set() else "error"
        finally:
            if timer:
                timer.cancel()
            self._add_usage(agent)
        if result.structured_output is not None:
            return result.structured_output, "done"
        return None, str(result.stop_reason)

    def ask(self, prompt: str, output_model: type[BaseModel], system: str = "") -> BaseModel | None:
        """One structured answer from the model, without tools; None when it gave none."""
        result, _ = self.run(system, prompt, output_model, turns=2)
        return result

    def _count_call(self, event: Any) -> None:
        self.model_calls += 1

    def _add_usage(self, agent: Any) -> None:
        used = agent.event_loop_metrics.accumulated_usage
        self.input_tokens += int(used.get("inputTokens", 0))
        self.output_tokens += int(used.get("outputTokens", 0))



def stop_note(stop: str, config: ReviewerConfig, session: ModelSession, goal: str) -> str:
    """A sentence saying what stopped a model run before it ``goal``."""
    if stop in STOP_NOTES:
        limit = STOP_NOTES[stop].format(
            max_turns=config.limits.max_turns, max_tokens=config.limits.max_tokens, timeout=config.timeout
        )
        return f"{limit} stopped the agent before it {goal}"
    if stop == "malformed":
        return f"the model returned no valid result before the agent {goal}: {session.last_error}"
    if stop == "error":
        return f"the model call failed before the agent {goal}: {session.last_error}"
    if stop == "done":
        return f"the agent stopped before it {goal}"
    return f"the model stopped ({stop}) before the agent {goal}"
