"""The Markdown of what codepanel posts: an inline comment per finding, its "fixed" form, the summary.

Finding text comes from the repository under review, so it is escaped as the Markdown report
escapes it (no HTML, links or mentions' markup) and cut to a bounded length; each body starts with
its hidden marker (``framework.post.markers``).
"""

from __future__ import annotations

import re

from framework.findings import Finding
from framework.post import markers
from framework.post.suggestion import Suggestion
from framework.reports import markdown
from framework.run.summary import RunSummary

MAX_TEXT = 1_000


def inline(finding: Finding, suggestion: Suggestion | None, flavour: str = "github") -> str:
    """The comment on a finding's line: what, how sure, what to do, and the fix as a suggestion."""
    marker = markers.Marker(finding.fingerprint, finding.reviewer, markers.OPEN).text()
    lines = [marker, _headline(finding), ""]
    if finding.recommendation and (suggestion is None or finding.recommendation != _fix_message(finding)):
        lines += [f"**Recommendation:** {_text(finding.recommendation)}", ""]
    if suggestion is not None:
        note = " (ruff calls this fix unsafe: check it)" if suggestion.applicability == "unsafe" else ""
        lines += [f"**Suggested fix:** {_text(_fix_message(finding) or 'apply this change')}{note}", ""]
        lines += _suggestion_block(suggestion, finding, flavour)
    lines.append(f"<sub>codepanel · confidence {finding.confidence} · fingerprint "
                 f"{markdown.code(finding.fingerprint)}</sub>")  # fmt: skip
    return "\n".join(lines)


def fixed(marker: markers.Marker, body: str, commit: str | None, why: str = "fixed") -> str:
    """An earlier inline comment, marked as no longer found (or suppressed) at ``commit``."""
    headline = next((line for line in body.splitlines()[1:] if line.strip()), "")
    at = f" at {markdown.code(commit[:12])}" if commit else ""
    done = markers.Marker(marker.fingerprint, marker.reviewer, markers.FIXED).text()
    verdict = "**Fixed:** codepanel no longer finds this" if why == "fixed" else "**Suppressed** inline"
    return "\n".join([done, f"~~{headline}~~" if headline else "", "", f"{verdict}{at}."])


def summary(run: RunSummary, findings: list[Finding], posting: list[str], max_chars: int) -> str:
    """The one summary comment: what posting did, then the Markdown report, within ``max_chars``."""
    head = [markers.SUMMARY, *posting, ""]
    head_size = sum(len(line) + 1 for line in head)
    report = markdown.render(run, findings, max_chars=max(2_000, max_chars - head_size - 500))
    body = "\n".join([*head, report])
    return body if len(body) <= max_chars else body[: max_chars - 40] + "\n\n_(cut to fit)_"


def _headline(finding: Finding) -> str:
    cwe = f" CWE-{finding.cwe}" if finding.cwe else ""
    return (f"**{finding.severity}** {_text(finding.message)} "
            f"({markdown.code(f'{finding.reviewer}/{finding.rule_id}')}{cwe})")  # fmt: skip


def _fix_message(finding: Finding) -> str:
    fix = finding.details.get("fix") if isinstance(finding.details, dict) else None
    return str(fix.get("message") or "") if isinstance(fix, dict) else ""


def _suggestion_block(suggestion: Suggestion, finding: Finding, flavour: str) -> list[str]:
    fence = "`" * max(3, 1 + max((len(run) for run in re.findall(r"`+", suggestion.text)), default=0))
    # GitLab's suggestion names the lines it replaces around the commented one: -above+below.
    kind = "suggestion" if flavour == "github" else f"suggestion:-0+{suggestion.last - suggestion.first}"
    return [f"{fence}{kind}", *([suggestion.text] if suggestion.text else []), fence, ""]


def plain(text: str) -> str:
    """Text of codepanel's own (an error line) as Markdown that stays text."""
    return _text(text)


def _text(text: str) -> str:
    # NOTE: a zero-width space after "@" keeps a repository's text from mentioning people.
    text = markdown.escape(text).replace("@", "@\u200b")
    return text if len(text) <= MAX_TEXT else text[: MAX_TEXT - 1] + "…"
