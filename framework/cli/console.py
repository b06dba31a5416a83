"""What the CLI draws: notes, tables and the live progress of a review (Rich; honours NO_COLOR).

Text that may come from the repository or a model goes through ``_escape`` (a table cell, Rich
markup escaped too) or ``printable`` (a plain line): the terminal never gets its control characters.
"""

from __future__ import annotations

import contextlib
import io
import time
from collections.abc import Iterator
from typing import Any

from rich.console import Console as RichConsole
from rich.live import Live
from rich.table import Table

from framework.cli.text import printable
from framework.findings import Finding
from framework.run.outcome import Status
from framework.run.summary import RunSummary

# Rules the terminal digest lists, and the findings that met --fail-on it names; the rest are counted.
DIGEST_RULES = 10
FAIL_ON_LISTED = 5
SEVERITY_STYLES = {"critical": "bold red", "high": "red", "medium": "yellow", "low": "cyan", "info": "dim"}
# Every status has a style; "waiting" is the progress table's word for a reviewer yet to start.
STATUS_STYLES = {
    Status.RUNNING: "blue", Status.OK: "green", Status.PARTIAL: "yellow", Status.FAILED: "bold red",
    Status.TIMED_OUT: "bold red", Status.INCOMPLETE: "yellow", Status.EMPTY: "bold red", Status.INTERRUPTED: "yellow",
    "waiting": "dim",
}  # fmt: skip


class Console:
    def __init__(self, file: Any = None) -> None:
        self.out = RichConsole(file=file, highlight=False, soft_wrap=False)
        self.err = RichConsole(stderr=True, highlight=False, soft_wrap=True)

    def note(self, message: str) -> None:
        self.err.print(printable(message), style="dim", markup=False)

    def warn(self, message: str) -> None:
        self.err.print(f"warning: {printable(message)}", style="yellow", markup=False)

    @contextlib.contextmanager
    def progress(self, names: list[str], enabled: bool | None = None) -> Iterator[Any]:
        """Yield a callback that redraws the reviewers' states from a run's status files."""
        if enabled is None:
            enabled = self.err.is_terminal
        if not enabled:
            yield None
            return
        started = time.monotonic()
        with Live(self._progress_table(names, {}, 0), console=self.err, transient=True, refresh_per_second=8) as live:

            def show(run) -> None:
                live.update(self._progress_table(names, run.statuses(), time.monotonic() - started))

            yield show

    def _progress_table(self, names: list[str], statuses: dict[str, dict], elapsed: float) -> Table:
        table = Table(title=f"Reviewing… {elapsed:.0f}s", show_edge=False, box=None)
        table.add_column("reviewer")
        table.add_column("status")
        table.add_column("findings", justify="right")
        for name in names:
            state = statuses.get(name, {})
            status = state.get("status", "waiting")
            findings = str(state["findings"]) if "findings" in state else ""
            table.add_row(_escape(name), f"[{STATUS_STYLES.get(status, 'dim')}]{_escape(status)}[/]", findings)
        return table

    def findings_table(self, summary: RunSummary, findings: list[Finding], show_all: bool = False) -> None:
        """The findings, as a digest that fits one screen (``show_all``: every one), then the run's state."""
        shown = [finding for finding in findings if finding.shown]
        if not shown:
            self.out.print("No findings.")
        elif show_all:
            self._every_finding(shown)
        else:
            self._digest(shown)
        self._rejected(findings)
        self.reviewer_statuses(summary)

    def _rejected(self, findings: list[Finding]) -> None:
        from framework.reports import contents

        if rejected := contents.rejected(findings):
            self.out.print(f"{len(rejected)} high or critical findings were rejected by an agent (check them; "
                           "the reports list them too):", markup=False)  # fmt: skip
            for f in rejected:
                line = f"{f.severity} REJECTED {f.reviewer}/{f.rule_id} at {f.file}:{f.line}: {f.message} ({contents.rejection(f)})"
                self.out.print("  " + printable(" ".join(line.split())), markup=False)

    def _every_finding(self, shown: list[Finding]) -> None:
        table = Table(show_lines=False, title=f"{len(shown)} findings")
        for column in ("severity", "reviewer", "rule", "location", "message"):
            table.add_column(column, overflow="fold")
        for finding in shown:
            cwe = f" (CWE-{finding.cwe})" if finding.cwe else ""
            table.add_row(
                f"[{SEVERITY_STYLES[finding.severity]}]{finding.severity}[/]",
                _escape(finding.reviewer),
                _escape(finding.rule_id + cwe),
                _escape(f"{finding.file}:{finding.line}"),
                _escape(finding.message),
            )
        self.out.print(table)

    def _digest(self, shown: list[Finding]) -> None:
        """Counts by severity, then the top findings grouped by rule, most severe first."""
        counts = ", ".join(f"{sum(f.severity == level for f in shown)} {level}"
                           for level in SEVERITY_STYLES if any(f.severity == level for f in shown))  # fmt: skip
        self.out.print(f"{len(shown)} findings: {counts}", markup=False)
        groups: dict[tuple[str, str], list[Finding]] = {}
        for finding in shown:  # already most severe first, test code last
            groups.setdefault((finding.reviewer, finding.rule_id), []).append(finding)
        # NOTE: one line per row, cut to the screen: Rich would rather squeeze whole columns away.
        free = max(40, self.out.width - 8 - 5 - 2 * 5 - 3)  # severity, count, padding
        rule_width, where_width = max(14, int(free * 0.3)), max(14, int(free * 0.25))
        table = Table(box=None, show_header=True, pad_edge=False)
        for column in ("severity", "rule", "n", "first at", "message"):
            table.add_column(column, no_wrap=True, justify="right" if column == "n" else "left")
        for (reviewer, rule), members in list(groups.items())[:DIGEST_RULES]:
            first = members[0]
            cwe = f" CWE-{first.cwe}" if first.cwe else ""
            where = "repository" if first.file == "." else f"{first.file}:{first.line}"
            rule_text = _clip(printable(f"{reviewer}/{rule}{cwe}"), rule_width)
            where_text = _clip(printable(where + (" (test)" if first.in_tests else "")), where_width)
            room = max(10, free - len(rule_text) - len(where_text))
            message = _clip(printable(" ".join(first.message.split())), room)
            table.add_row(f"[{SEVERITY_STYLES[first.severity]}]{first.severity}[/]", _escape(rule_text),
                          str(len(members)), _escape(where_text), _escape(message))  # fmt: skip
        self.out.print(table)
        if len(groups) > DIGEST_RULES:
            rest = sum(len(members) for members in list(groups.values())[DIGEST_RULES:])
            self.out.print(f"... and {rest} more findings of {len(groups) - DIGEST_RULES} more rules "
                           "(--all lists every finding; the reports hold them all)", markup=False)  # fmt: skip

    def reviewer_statuses(self, summary: RunSummary) -> None:
        table = Table(title=_escape(f"Run {summary.run_id}: {summary.status}"), box=None)
        for column in ("reviewer", "status", "findings", "seconds", "note"):
            table.add_column(column)
        for name, entry in summary.reviewers.items():
            table.add_row(
                _escape(name),
                f"[{STATUS_STYLES[entry.status]}]{entry.status}[/]",
                str(entry.findings),
                f"{entry.duration or 0:.1f}",
                _escape(entry.note),
            )
        self.out.print(table)
        for line in summary.attention():
            self.err.print(f"attention: {printable(line)}", style="yellow", markup=False)
        counts = summary.counts
        line = ", ".join(f"{count} {level}" for level, count in counts.by_severity.items() if count)
        hidden = [f"{count} {label}" for count, label in
                  ((counts.suppressed, "suppressed"), (counts.baseline, "in the baseline"),
                   (counts.outside_diff, "outside the diff"),
               (counts.below_confidence, "below --min-confidence"))
                  if count]  # fmt: skip
        self.out.print(
            f"{summary.files_reviewed} files reviewed, {summary.files_skipped} skipped; "
            f"findings: {line or 'none'}" + (f" (not shown: {', '.join(hidden)})" if hidden else ""),
            markup=False,
        )
        from framework.reports.markdown import usage_text

        if usage := usage_text(summary.usage):
            self.out.print(usage, markup=False)
        if executive := summary.executive_summary:
            self.out.print(printable(f"Summary ({executive['by']}): {executive['text']}"), markup=False)

    def fail_on(self, level: str, failing: list[Finding]) -> None:
        """Say which findings made --fail-on fail the command."""
        listed = ", ".join(f"{f.reviewer}/{f.rule_id} at {f.file}:{f.line}" for f in failing[:FAIL_ON_LISTED])
        more = f", and {len(failing) - FAIL_ON_LISTED} more" if len(failing) > FAIL_ON_LISTED else ""
        self.err.print(printable(f"exit 1: {len(failing)} findings at or above {level} (--fail-on {level}): {listed}{more}"),
                       markup=False)  # fmt: skip

    def runs_table(self, rows: list[dict[str, Any]]) -> None:
        table = Table(box=None)
        table.add_column("run", no_wrap=True)
        for column in ("status", "repository", "findings", "seconds"):
            table.add_column(column, overflow="fold")
        for row in rows:
            status = row["status"]
            shown = f"{status} (resumable)" if row.get("resumable") else status
            table.add_row(_escape(row["run_id"]), f"[{STATUS_STYLES.get(status, 'dim')}]{_escape(shown)}[/]", _escape(str(row["repository"] or "")),
                          str(row["findings"] if row["findings"] is not None else ""),
                          f"{row['duration']:.1f}" if row["duration"] is not None else "")  # fmt: skip
        self.out.print(table if rows else "No runs in this workspace.")
        if any(row.get("resumable") for row in rows):
            self.note("`codepanel runs resume RUN_ID` continues an interrupted run.")

    def reviewers_table(self, rows: list[dict[str, Any]]) -> None:
        table = Table()
        for column in ("name", "description", "origin", "enabled", "model"):
            table.add_column(column, overflow="fold")
        for row in rows:
            table.add_row(
                _escape(row["name"]), _escape(str(row["description"])), _escape(str(row["origin"])),
                "yes" if row["enabled"] else "no", _escape(str(row["model"])),
            )  # fmt: skip
        self.out.print(table)


def render_text(summary: RunSummary, findings: list[Finding]) -> str:
    """Every finding as a plain-text table, for --output with the table format."""
    buffer = io.StringIO()
    Console(file=buffer).findings_table(summary, findings, show_all=True)
    return buffer.getvalue()


def _clip(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def _escape(text: object) -> str:
    """A table cell: printable, and no Rich markup."""
    from rich.markup import escape

    return escape(printable(text))
