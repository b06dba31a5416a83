"""The end of a run: every ``aggregate_findings`` hook works on all reviewers' findings.

The hook is called through pluggy, in its order (``tryfirst`` ones first, hook wrappers around the
rest); each implementation is guarded (``framework.plugins``), so a failing aggregator is reported
in ``summary.aggregation["problems"]`` and the others still run. They share one ``ModelSession``
on the run's model (``None`` when the run is offline), so every model call they make is bounded
and counted in the run's usage.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

from framework.errors import CodepanelError
from framework.findings import Finding

if TYPE_CHECKING:
    from framework.agents.session import ModelSession
    from framework.plugins import Plugins
    from framework.run.summary import RunSummary
    from framework.run.workspace import Run


def aggregate(
    findings: list[Finding], summary: RunSummary, plugins: Plugins, run: Run, model: str | None
) -> None:
    """Run every aggregator over ``findings``; record what ran in ``summary.aggregation``.

    ``model`` is the run's --model, if any; otherwise the run's config's ``defaults.model``.
    """
    record: dict[str, Any] = {"aggregators": [], "problems": [], "notes": []}
    summary.aggregation = record
    session = model_session(run, model, record["notes"])
    if session is not None:
        record["model"] = session.label
    call = plugins.call("aggregate_findings", findings=findings, summary=summary, model=session)
    # NOTE: pluggy runs the last registered first; what ran is listed in the order it finished.
    record["aggregators"] = list(dict.fromkeys(call.ran))
    record["problems"] = call.problems
    if session is not None and session.model_calls:
        record["usage"] = session.usage()
    if session is not None and session.last_error:
        record["notes"].append(f"a model call failed, rules stood in: {session.last_error}")
    for key in ("problems", "notes"):
        if not record[key]:
            del record[key]


def model_session(run: Run, model: str | None, notes: list[str]) -> ModelSession | None:
    """A session on the run's model (``defaults.model``, or the request's), or None when offline."""
    try:
        published = run.config().with_model(model)
    except CodepanelError:
        return None  # the run has no config: nothing says which model to use
    spec = published.defaults.model
    if spec.offline:
        return None
    from framework.agents import providers
    from framework.agents.session import ModelSession

    try:
        providers.check(spec)
    except CodepanelError as error:
        notes.append(f"aggregators ran without a model: {error}")
        return None
    return ModelSession(
        spec,
        published.price_of(spec),
        max_tokens=published.defaults.limits.max_tokens,
        deadline=time.monotonic() + published.defaults.timeout,
    )
