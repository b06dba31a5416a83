"""The end of a run: every ``aggregate_findings`` hook works on all reviewers' findings.

Implementations run one by one in pluggy's order (``tryfirst`` ones first), each inside its own
try/except: a failing aggregator is reported in ``summary["aggregation"]`` and the others still
run. They share one ``ModelSession`` on the run's model (``None`` when the run is offline), so
every model call they make is bounded and counted in the run's usage.
"""

from __future__ import annotations

import time
from typing import Any

from framework import plugins as plugin_loader
from framework.errors import CodepanelError
from framework.findings import Finding
from framework.run.workspace import Run


def aggregate(run: Run, findings: list[Finding], summary: dict[str, Any], request: dict[str, Any]) -> None:
    """Run every aggregator over ``findings``; record what ran in ``summary["aggregation"]``."""
    record: dict[str, Any] = {"aggregators": [], "problems": [], "notes": []}
    summary["aggregation"] = record
    try:
        loaded = plugin_loader.load()
    except CodepanelError as error:
        record["problems"].append(f"plugins could not be loaded: {error}")
        return
    session = model_session(run, request, record["notes"])
    if session is not None:
        record["model"] = session.label
    # NOTE: pluggy calls implementations in the reverse order of get_hookimpls().
    for impl in reversed(loaded.manager.hook.aggregate_findings.get_hookimpls()):
        arguments = {"findings": findings, "summary": summary, "model": session}
        try:
            impl.function(*[arguments[name] for name in impl.argnames])
        except Exception as error:  # noqa: BLE001 - one broken aggregator must not stop the others
            problem = f"aggregator {impl.plugin_name!r} failed: {type(error).__name__}: {error}"
            record["problems"].append(" ".join(problem.split())[:500])
        else:
            record["aggregators"].append(impl.plugin_name)
    if session is not None and session.model_calls:
        record["usage"] = session.usage()
    if session is not None and session.last_error:
        record["notes"].append(f"a model call failed, rules stood in: {session.last_error}")
    for key in ("problems", "notes"):
        if not record[key]:
            del record[key]


def model_session(run: Run, request: dict[str, Any], notes: list[str]) -> Any:
    """A session on the run's model (``defaults.model``, or the request's), or None when offline."""
    from framework import config as config_module

    try:
        published = config_module.parse(run.workspace.read_config_text(), str(run.workspace.config_path))
        published = published.with_model(request.get("model"))
    except CodepanelError:
        return None  # no published config: nothing says which model to use
    spec = published.defaults.model
    if spec.offline:
        return None
    from framework.agents import providers as models
    from framework.agents.session import ModelSession

    try:
        models.check(spec)
    except CodepanelError as error:
        notes.append(f"aggregators ran without a model: {error}")
        return None
    return ModelSession(
        spec,
        published.price_of(spec),
        max_tokens=published.defaults.limits.max_tokens,
        deadline=time.monotonic() + published.defaults.timeout,
    )
