"""The HTML report, opened in headless Chromium: what renders once its script has run."""

from __future__ import annotations

import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest

from framework.findings import Finding
from framework.reports import html_report
from framework.run.summary import RunSummary

CHROMIUM = Path("/usr/bin/chromium")
needs_chromium = pytest.mark.skipif(
    not CHROMIUM.exists(), reason="headless Chromium is not installed (apt-get install chromium)"
)


class Dom(HTMLParser):
    """The elements of a dumped DOM: tag, attributes and text, with the text of each element."""

    def __init__(self, text: str):
        super().__init__()
        self.elements: list[dict] = []
        self.open: list[dict] = []
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        element = {"tag": tag, "attrs": dict(attrs), "text": ""}
        self.elements.append(element)
        if tag not in ("input", "meta", "br", "img", "link"):
            self.open.append(element)

    def handle_endtag(self, tag):
        while self.open:
            if self.open.pop()["tag"] == tag:
                break

    def handle_data(self, data):
        for element in self.open:
            element["text"] += data

    def find(self, **attrs) -> list[dict]:
        return [e for e in self.elements if all(e["attrs"].get(k) == v for k, v in attrs.items())]

    def by_id(self, identifier: str) -> dict:
        (element,) = self.find(id=identifier)
        return element

    def cells(self, table_id: str) -> list[list[str]]:
        """The text of each cell of a table, row by row."""
        start = self.elements.index(self.by_id(table_id))
        rows: list[list[str]] = []
        for element in self.elements[start + 1 :]:
            if element["tag"] == "table":
                break
            if element["tag"] == "tr":
                rows.append([])
            elif element["tag"] in ("td", "th"):
                rows[-1].append(element["text"])
        return rows

    def tagged(self, tag: str, css_class: str) -> list[dict]:
        return [
            e
            for e in self.elements
            if e["tag"] == tag and css_class in e["attrs"].get("class", "").split()
        ]


def render_in_chromium(path: Path, fragment: str, profile: Path) -> Dom:
    command = [
        str(CHROMIUM), "--headless", "--dump-dom", "--no-sandbox", "--disable-gpu",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--no-first-run", f"--user-data-dir={profile}", path.as_uri() + fragment,
    ]  # fmt: skip
    completed = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
    assert completed.returncode == 0, completed.stderr[-2000:]
    return Dom(completed.stdout)


@pytest.fixture
def report(review, repo):
    return review(repo).run / "report.html"


@needs_chromium
def test_the_report_renders_with_the_expected_counts(report, tmp_path):
    dom = render_in_chromium(report, "", tmp_path / "profile")
    body = next(e for e in dom.elements if e["tag"] == "body")
    assert body["attrs"]["data-ready"] == "true"  # the script ran, so the CSP let it
    assert (body["attrs"]["data-total"], body["attrs"]["data-shown"]) == ("5", "5")
    assert dom.by_id("shown-count")["text"] == "5"
    articles = dom.tagged("article", "finding")
    assert len(articles) == 5 and not any("hidden" in a["attrs"] for a in articles)
    bars = {e["attrs"]["data-severity"]: e["attrs"]["data-count"] for e in dom.tagged("g", "bar")}
    assert bars == {"critical": "1", "high": "0", "medium": "2", "low": "2", "info": "0"}
    assert dom.cells("by-reviewer") == [
        ["reviewer", "status", "critical", "high", "medium", "low", "info", "total"],
        ["security", "ok", "1", "0", "1", "0", "0", "2"],
        ["style", "ok", "0", "0", "1", "2", "0", "3"],
    ]
    # The code around the command injection is there, its line highlighted.
    (command,) = [a for a in articles if a["attrs"]["data-rule"] == "command-injection"]
    assert "os.system(command)" in command["text"] and "def run():" in command["text"]
    highlighted = [e["text"] for e in dom.tagged("span", "hll")]
    assert any("os.system(command)" in text for text in highlighted)
    files = [e["attrs"]["data-file"] for e in dom.tagged("section", "file")]
    assert files == [".", "app/util.py", "app/views.py"]


@needs_chromium
@pytest.mark.parametrize(
    ("fragment", "visible"),
    [
        ("#severity=critical", ["command-injection"]),
        ("#severity=high", []),
        ("#reviewer=style", ["repo.no-tests", "F401", "F821"]),
        ("#severity=medium&reviewer=security", ["weak-hash"]),
        ("#severity=info", []),
    ],
)
def test_the_filters_hide_what_is_not_chosen(report, tmp_path, fragment, visible):
    dom = render_in_chromium(report, fragment, tmp_path / "profile")
    shown = [
        a["attrs"]["data-rule"]
        for a in dom.tagged("article", "finding")
        if "hidden" not in a["attrs"]
    ]
    assert shown == visible
    assert dom.by_id("shown-count")["text"] == str(len(visible))
    groups = {
        e["attrs"]["data-file"]: "hidden" not in e["attrs"] for e in dom.tagged("section", "file")
    }
    assert any(groups.values()) == bool(visible)
    counts = [int(e["text"].strip("()")) for e in dom.tagged("span", "count")]
    assert sum(counts) == len(visible)


def test_content_from_the_repository_is_escaped(tmp_path):
    source = tmp_path / "source"
    source.mkdir()
    (source / "x.py").write_text("a = '</script><script>alert(1)</script>'\n")
    finding = Finding(
        rule_id="r<1>", message="<img src=x onerror=alert(1)>", file="x.py", reviewer="style"
    )
    finding.with_fingerprint()
    summary = RunSummary.model_validate({"run_id": "r", "status": "ok", "repository": "<b>repo</b>",
                                         "reviewers": {"style": {"status": "ok"}}})  # fmt: skip
    page = html_report.render(summary, [finding], source)
    assert "<img src=x" not in page and "&lt;img src=x onerror=alert(1)&gt;" in page
    assert "<b>repo</b>" not in page and page.count("<script>") == 1
    assert "script-src 'sha256-" in page and "default-src 'none'" in page
