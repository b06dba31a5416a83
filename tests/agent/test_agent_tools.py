"""The agent's read-only tools, called directly: confinement, size caps, the read budget."""

from __future__ import annotations

import pytest

from framework.agents import tools as tools_module
from framework.agents.tools import ReadBudget, SourceTools, ToolError, strands_tools
from framework.tree import SourceTree


@pytest.fixture
def tools(tree):
    return SourceTools(tree, ReadBudget(100))


def test_list_files_filters_by_directory_and_pattern(tools):
    assert tools.list_files().splitlines() == ["3 files", "README.md", "app/main.py", "app/util.py"]
    assert tools.list_files("app", "m*.py").splitlines() == ["1 files", "app/main.py"]
    assert tools.list_files("./app/").splitlines()[0] == "2 files"
    assert tools.list_files("docs").splitlines() == ["0 files"]


def test_list_files_caps_the_listing(tools, monkeypatch):
    monkeypatch.setattr(tools_module, "MAX_LISTED", 2)
    assert tools.list_files().splitlines() == ["3 files (first 2 shown)", "README.md", "app/main.py"]


def test_read_file_numbers_lines_and_caps_them(tools):
    text = tools.read_file("app/util.py")
    lines = text.splitlines()
    assert lines[0] == "app/util.py: lines 1-400 of 600 (read on with start_line=401)"
    assert lines[1] == "     1  VALUE_1 = 1"
    assert lines[-1] == "   400  VALUE_400 = 400"
    tail = tools.read_file("app/util.py", start_line=590, end_line=700).splitlines()
    assert tail[0] == "app/util.py: lines 590-600 of 600"
    assert len(tail) == 12


def test_read_file_caps_characters(tools, monkeypatch):
    monkeypatch.setattr(tools_module, "MAX_CHARS_READ", 60)
    lines = tools.read_file("app/util.py").splitlines()
    assert lines[0] == "app/util.py: lines 1-3 of 600 (read on with start_line=4)"
    assert len(lines) == 4


def test_read_file_past_the_end_is_an_error(tools):
    with pytest.raises(ToolError, match="has 9 lines; start_line 20 is past the end"):
        tools.read_file("app/main.py", start_line=20)


def test_search_text_is_literal_and_case_insensitive(tools):
    assert tools.search_text("OS.SYSTEM(").splitlines() == ["1 matches", "app/main.py:5: os.system(command)"]
    assert tools.search_text("value_60", pattern="*.py").splitlines() == [
        "2 matches", "app/util.py:60: VALUE_60 = 60", "app/util.py:600: VALUE_600 = 600",
    ]  # fmt: skip
    assert tools.search_text("def", directory="README.md") == "no matches"


def test_search_text_caps_its_hits(tools, monkeypatch):
    monkeypatch.setattr(tools_module, "MAX_SEARCH_HITS", 3)
    assert tools.search_text("VALUE").splitlines() == [
        "first 3 matches", "app/util.py:1: VALUE_1 = 1", "app/util.py:2: VALUE_2 = 2", "app/util.py:3: VALUE_3 = 3",
    ]  # fmt: skip


@pytest.mark.parametrize("query", ["", "   ", "x" * 201])
def test_search_text_refuses_empty_or_huge_queries(tools, query):
    with pytest.raises(ToolError):
        tools.search_text(query)


def test_every_call_counts_against_the_read_budget(tree):
    budget = ReadBudget(3)
    tools = SourceTools(tree, budget)
    tools.list_files()
    tools.read_file("README.md")
    tools.search_text("demo")
    with pytest.raises(ToolError, match="limit reached: limits.max_files_read=3"):
        tools.read_file("README.md")
    assert (budget.used, budget.refused, budget.exhausted) == (3, 1, True)


@pytest.fixture
def escape_tree(tmp_path):
    root = tmp_path / "repo"
    (root / "pkg").mkdir(parents=True)
    (root / "pkg" / "ok.py").write_text("ok = 1\n")
    (tmp_path / "secret.txt").write_text("TOP-SECRET\n")
    (root / "pkg" / "leak.py").symlink_to(tmp_path / "secret.txt")
    (root / "up").symlink_to(tmp_path, target_is_directory=True)
    return SourceTree(root, ["pkg/ok.py", "pkg/leak.py", "up/secret.txt"])


@pytest.mark.parametrize(
    ("path", "reason"),
    [
        ("/etc/passwd", "outside the source tree"),
        ("../secret.txt", "outside the source tree"),
        ("pkg/../../secret.txt", "outside the source tree"),
        ("..\\secret.txt", "outside the source tree"),
        ("pkg/leak.py", "symbolic link"),
        ("up/secret.txt", "symbolic link"),
        ("pkg/missing.py", "not a file of this review"),
        ("", "invalid path"),
        ("pkg/ok.py\0", "invalid path"),
    ],
)
def test_read_file_refuses_paths_out_of_the_review(escape_tree, path, reason):
    tools = SourceTools(escape_tree, ReadBudget(10))
    with pytest.raises(ToolError, match=reason):
        tools.read_file(path)


@pytest.mark.parametrize("directory", ["/", "/etc", "..", "pkg/../..", "..\\.."])
def test_listing_and_searching_refuse_directories_out_of_the_review(escape_tree, directory):
    tools = SourceTools(escape_tree, ReadBudget(10))
    with pytest.raises(ToolError, match="outside the source tree"):
        tools.list_files(directory)
    with pytest.raises(ToolError, match="outside the source tree"):
        tools.search_text("secret", directory)


def test_search_skips_symlinked_files(escape_tree):
    tools = SourceTools(escape_tree, ReadBudget(10))
    assert tools.search_text("TOP-SECRET") == "no matches"


def test_the_strands_tools_are_exactly_the_three_readers(tree):
    made = strands_tools(SourceTools(tree, ReadBudget(5)))
    assert [tool.tool_name for tool in made] == ["list_files", "read_file", "search_text"]
    specs = {tool.tool_name: tool.tool_spec["inputSchema"]["json"]["properties"] for tool in made}
    assert sorted(specs["read_file"]) == ["end_line", "path", "start_line"]
    assert sorted(specs["search_text"]) == ["directory", "pattern", "text"]
