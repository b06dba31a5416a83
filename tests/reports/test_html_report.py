"""The HTML report, opened in headless Chromium: what renders once its script has run."""

from __future__ import annotations

import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest

from framework.findings import Finding, sort_key
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
        element = {"tag": tag, "attrs": dict(attrs), "text": "", "index": len(self.elements),
                   "ancestors": [e["index"] for e in self.open]}  # fmt: skip
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

    def within(self, element: dict) -> list[dict]:
        """The elements inside ``element``."""
        return [e for e in self.elements if element["index"] in e["ancestors"]]

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
    # Grouped by severity, most severe first, then by file.
    groups = [(e["attrs"]["id"], e["attrs"]["data-severity"]) for e in dom.tagged("section", "group")]
    assert groups == [("g-critical", "critical"), ("g-medium", "medium"), ("g-low", "low")]
    files = [e["attrs"]["data-file"] for e in dom.tagged("section", "file")]
    assert files == ["app/views.py", "app/util.py", ".", "app/util.py"]
    # The ids the findings are grouped and linked by are in the page once each.
    ids = [e["attrs"]["id"] for e in dom.elements if "id" in e["attrs"]]
    assert len(ids) == len(set(ids))


@needs_chromium
def test_fix_first_and_the_taint_path_are_shown(report, tmp_path):
    """The issue's "Must show": the rendered report has "Fix first" at the top, linking to the
    command injection, whose path from source to sink is shown step by step with its code."""
    dom = render_in_chromium(report, "", tmp_path / "profile")
    order = [e["attrs"]["id"] for e in dom.elements if e["tag"] == "section" and "id" in e["attrs"]]
    assert order[:4] == ["risk", "fix-first", "summary", "filters"]
    assert dom.by_id("risk")["text"].startswith("Overall risk: critical (highest priority 10 of 10)")
    assert "2 reviewers reported 5 findings" in dom.by_id("executive-summary")["text"]
    fix_first = dom.by_id("fix-first")
    assert fix_first["text"].startswith("Fix firstcritical Command injection: request.args (line 4)")
    start = dom.elements.index(fix_first)
    links = [e["attrs"]["href"] for e in dom.elements[start:] if e["tag"] == "a"][:5]
    (command,) = [a for a in dom.tagged("article", "finding") if a["attrs"]["data-rule"] == "command-injection"]
    assert links[0] == "#" + command["attrs"]["id"]
    assert len(links) == 5 and all(dom.find(id=link[1:]) for link in links)
    steps = [e["text"] for e in dom.tagged("li", "step")]
    assert steps == [
        "app/views.py:4 source: request.args4    command = request.args['command']",
        "app/views.py:4 assigned to command",  # the same line as the step before: shown once
        (
            "app/views.py:5 reaches os.system()5    os.system(command)  # untrusted data reaches a "
            "shell: a critical command injection"
        ),
    ]
    assert "Path from source to sink (3 steps)" in command["text"]
    # A weakness's one-step path (the call itself) is no path.
    (weak,) = [a for a in dom.tagged("article", "finding") if a["attrs"]["data-rule"] == "weak-hash"]
    assert "Path from source to sink" not in weak["text"]


@needs_chromium
@pytest.mark.parametrize(
    ("fragment", "visible"),
    [
        ("#severity=critical", ["command-injection"]),
        ("#severity=high", []),
        ("#reviewer=style", ["F821", "repo.no-tests", "F401"]),
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
    files = [("hidden" not in e["attrs"]) for e in dom.tagged("section", "file")]
    assert any(files) == bool(visible)
    counts = [int(e["text"].strip("()")) for e in dom.tagged("span", "count")]
    assert sum(counts) == len(visible)
    # Each severity group counts what it shows, and is hidden when it shows nothing.
    for group in dom.tagged("section", "group"):
        inside = dom.within(group)
        (count,) = [e for e in inside if "group-count" in e["attrs"].get("class", "")]
        members = [a for a in inside if a["tag"] == "article"]
        showing = sum("hidden" not in a["attrs"] for a in members)
        assert count["text"] == f"({showing})"
        assert ("hidden" in group["attrs"]) == (showing == 0)
    # "Fix first" is not filtered: it always lists the findings to fix first.
    start = dom.elements.index(dom.by_id("fix-first"))
    assert len([e for e in dom.elements[start:] if e["tag"] == "a"][:5]) == 5


def finding(rule, file, line, severity="medium", score=None, **extra) -> Finding:
    details = extra.pop("details", {})
    if score is not None:
        details["score"] = score
    made = Finding(rule_id=rule, message=f"{rule} here", file=file, line=line, severity=severity,
                   reviewer=extra.pop("reviewer", "security"), details=details, **extra)  # fmt: skip
    return made.with_fingerprint(f"line {line} of {file} {rule}")


SUMMARY = RunSummary.model_validate({"run_id": "r", "status": "ok", "repository": "demo",
                                     "reviewers": {"security": {"status": "ok"}}})  # fmt: skip


def page(summary: RunSummary, findings: list[Finding], source: Path | None, tmp_path: Path) -> Path:
    path = tmp_path / "report.html"
    path.write_text(html_report.render(summary, sorted(findings, key=sort_key), source))
    return path


@needs_chromium
def test_findings_in_test_code_are_marked_ranked_last_and_never_fixed_first(tmp_path):
    findings = [
        finding("sql-injection", "tests/test_db.py", 3, "critical", score=10, in_tests=True),
        finding("weak-hash", "app/hash.py", 2, "medium", score=5),
        finding("xss", "app/views.py", 7, "high", score=7),
        finding("weak-random", "app/views.py", 9, "low", score=3),
    ]
    path = page(SUMMARY, findings, None, tmp_path)
    dom = render_in_chromium(path, "", tmp_path / "profile")
    fix_first = dom.by_id("fix-first")
    start = dom.elements.index(fix_first)
    links = [e["attrs"]["href"] for e in dom.elements[start:] if e["tag"] == "a"]
    by_id = {f"#f-{f.fingerprint}": f.rule_id for f in findings}
    assert [by_id[link] for link in links[:3]] == ["xss", "weak-hash", "weak-random"]
    assert "sql-injection" not in [by_id.get(link) for link in links]
    groups = [e["attrs"]["id"] for e in dom.tagged("section", "group")]
    assert groups == ["g-high", "g-medium", "g-low", "g-critical-tests"]
    (in_tests,) = [a for a in dom.tagged("article", "finding") if a["attrs"]["data-code"] == "tests"]
    assert "in-tests" in in_tests["attrs"]["class"] and "in test code" in in_tests["text"]
    assert dom.by_id("g-critical-tests")["text"].startswith("critical Critical, in test code (1)")
    # A filter leaves test code out.
    dom = render_in_chromium(path, "#code=main", tmp_path / "profile")
    shown = [a["attrs"]["data-rule"] for a in dom.tagged("article", "finding") if "hidden" not in a["attrs"]]
    assert shown == ["xss", "weak-hash", "weak-random"]
    assert "hidden" in dom.by_id("g-critical-tests")["attrs"]


def test_fix_first_falls_back_on_severity_and_on_test_code_when_nothing_else():
    unscored = [finding("a", "x.py", 1, "low"), finding("b", "x.py", 2, "high")]
    text = html_report.render(SUMMARY, unscored)
    assert text.index('href="#f-' + unscored[1].fingerprint) < text.index('href="#f-' + unscored[0].fingerprint)
    only_tests = [finding("c", "tests/t.py", 1, "high", score=7, in_tests=True)]
    text = html_report.render(SUMMARY, only_tests)
    fix_first = text[text.index('id="fix-first"') : text.index('id="summary"')]
    assert f'href="#f-{only_tests[0].fingerprint}"' in fix_first and "in test code" in fix_first


@needs_chromium
def test_what_the_review_did_not_do_is_at_the_top(tmp_path):
    summary = RunSummary.model_validate({
        "run_id": "r", "status": "incomplete", "repository": "demo",
        "reviewers": {"security": {"status": "ok"}, "slow": {"status": "timed_out", "error": "Task timed out"}},
        "plugin_problems": ["plugin 'broken_plugin' failed to load: boom"],
        "limits_hit": ["source.max_files (50000): 50000 of 81234 files fetched"],
        "uncovered": {"JavaScript": 213},
    })  # fmt: skip
    path = page(summary, [finding("xss", "app/views.py", 7, "high", score=7)], None, tmp_path)
    dom = render_in_chromium(path, "", tmp_path / "profile")
    sections = [e["attrs"]["id"] for e in dom.elements if e["tag"] == "section" and "id" in e["attrs"]]
    assert sections[0] == "attention"
    attention = dom.by_id("attention")
    assert attention["attrs"]["role"] == "alert"
    items = [e["text"] for e in dom.elements[dom.elements.index(attention) :] if e["tag"] == "li"][:4]
    assert items == [
        "Attention: plugin 'broken_plugin' failed to load: boom",
        "Attention: source.max_files (50000): 50000 of 81234 files fetched",
        "Attention: 213 JavaScript files: no offline reviewer covers them; add a model or a reviewer",
        "Attention: reviewer slow did not finish: TIMED OUT (Task timed out)",
    ]
    assert "status INCOMPLETE" in dom.by_id("overview")["text"]


def test_long_and_malformed_paths(tmp_path):
    source = tmp_path / "source"
    (source / "app").mkdir(parents=True)
    (source / "app" / "a.py").write_text("".join(f"x{n} = {n}\n" for n in range(1, 101)))
    steps = [{"file": "app/a.py", "line": n, "what": f"step {n}"} for n in range(1, 61)]
    steps[1:1] = ["junk", {"file": 5, "line": "two", "what": None}, {"file": "../../etc/passwd", "line": 1}]
    long = finding("sql-injection", "app/a.py", 60, "high", details={"path": steps})
    text = html_report.render(SUMMARY, [long], source)
    # "junk" is no step; 62 are, 40 shown: the first and the last 20
    assert "(62 steps)" in text and "22 more steps" in text
    assert "<code class=\"at\">app/a.py:1</code> step 1" in text
    assert "<code class=\"at\">app/a.py:60</code> step 60" in text
    # A step with no usable file or line is shown at the finding's file, without a line or code.
    assert "<code class=\"at\">app/a.py</code> </li>" in text
    # A step outside the snapshot is listed, but nothing is read from outside it.
    assert "../../etc/passwd:1" in text and "root:" not in text
    assert text.count("<li class=\"step\">") == 40
    untraced = finding("sql-injection", "app/a.py", 5, "high", details={"source": "not traced"})
    assert "Source: not traced" in html_report.render(SUMMARY, [untraced], source)


def test_content_from_the_repository_is_escaped(tmp_path):
    source = tmp_path / "source"
    source.mkdir()
    (source / "x.py").write_text("a = '</script><script>alert(1)</script>'\n")
    nasty = Finding(
        rule_id="r<1>", message="<img src=x onerror=alert(1)>", file="x.py", reviewer="style",
        details={"path": [{"file": "<b>f.py</b>", "line": 1, "what": "<script>alert(2)</script>"},
                          {"file": "x.py", "line": 1, "what": "reaches <i>sink</i>"}], "score": 9},
    )  # fmt: skip
    nasty.with_fingerprint()
    summary = RunSummary.model_validate({"run_id": "r", "status": "ok", "repository": "<b>repo</b>",
                                         "reviewers": {"style": {"status": "ok"}},
                                         "limits_hit": ["<script>alert(3)</script>"],
                                         "risk": {"score": 9, "level": "<u>critical</u>", "by": "<i>m</i>"},
                                         "executive_summary": {"text": "<script>x</script>", "by": "<b>"}})  # fmt: skip
    page = html_report.render(summary, [nasty], source)
    assert "<img src=x" not in page and "&lt;img src=x onerror=alert(1)&gt;" in page
    assert "<b>repo</b>" not in page and page.count("<script>") == 1
    assert "<b>f.py</b>" not in page and "&lt;script&gt;alert(2)" in page and "<i>sink</i>" not in page
    assert "&lt;script&gt;alert(3)" in page and "<u>" not in page and "<i>m</i>" not in page
    assert "script-src 'sha256-" in page and "default-src 'none'" in page
    # Nothing is loaded from anywhere: no URL in any attribute.
    assert "http" not in page.replace("http-equiv", "").replace("http://www.w3.org/2000/svg", "")
