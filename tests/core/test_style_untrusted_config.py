"""The reviewed repository's ruff configuration is untrusted data: it never makes ruff read or write
outside the snapshot, and a configuration ruff cannot use is reported, its files checked with the defaults."""

from __future__ import annotations

import os
import subprocess
import tomllib

from hypothesis import given
from hypothesis import strategies as st

from framework.tree import SourceTree
from reviewers.style import StyleReviewer
from reviewers.style.ruff_config import to_toml

UNUSED = "import os\n\n\ndef f():\n    x = 1\n"  # F401 on line 1, F841 on line 5
EVERYTHING = '[lint]\nselect = ["ALL"]\n'  # what a configuration outside the tree would turn on


def write(root, files):
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return SourceTree(root, sorted(files))


def style(tree, settings=None):
    reviewer = StyleReviewer()
    return list(reviewer.analyze(tree, reviewer.settings_from(settings or {})))


def rules(findings):
    return {(f.rule_id, f.file, f.line) for f in findings if not f.rule_id.startswith(("repo.", "ruff-config"))}


def config_problems(findings):
    return {f.file: f.message for f in findings if f.rule_id == "ruff-config"}


def test_extend_outside_the_tree_is_not_followed(tmp_path):
    (tmp_path / "outside.toml").write_text(EVERYTHING)
    tree = write(tmp_path / "repo", {
        "ruff.toml": 'extend = "../outside.toml"\n[lint]\nselect = ["F401"]\n',
        "a.py": UNUSED,
        "sub/ruff.toml": f'extend = "{tmp_path / "outside.toml"}"\n[lint]\nselect = ["F841"]\n',
        "sub/b.py": UNUSED,
        "etc/ruff.toml": 'extend = "/etc/passwd"\n[lint]\nselect = ["F841"]\n',
        "etc/c.py": UNUSED,
    })  # fmt: skip
    findings = style(tree)
    assert rules(findings) == {("F401", "a.py", 1), ("F841", "sub/b.py", 5), ("F841", "etc/c.py", 5)}
    problems = config_problems(findings)
    assert set(problems) == {"ruff.toml", "sub/ruff.toml", "etc/ruff.toml"}
    assert "extend '../outside.toml' is not a file of the repository (not followed)" in problems["ruff.toml"]
    assert problems["etc/ruff.toml"].startswith("ruff was not given part of this configuration: ")


def test_cache_dir_fix_and_folders_outside_are_never_used(tmp_path):
    cache_dir = tmp_path / "ruff-cache"
    source = "import os\n"
    tree = write(tmp_path / "repo", {
        "pyproject.toml": f'[tool.ruff]\ncache-dir = "{cache_dir}"\nfix = true\nunsafe-fixes = true\n'
        f'output-format = "grouped"\nsrc = ["src", "/", "../..", "$HOME/x", "~/y"]\n'
        f'[tool.ruff.lint]\nselect = ["F401"]\n',
        "a.py": source,
    })  # fmt: skip
    findings = style(tree)
    assert rules(findings) == {("F401", "a.py", 1)}
    assert (tmp_path / "repo" / "a.py").read_text() == source  # fix = true fixed nothing
    assert not cache_dir.exists()
    assert not any(path.name == ".ruff_cache" for path in tmp_path.rglob("*"))
    assert config_problems(findings) == {
        "pyproject.toml": "ruff was not given part of this configuration: pyproject.toml: src names folders "
        "outside the repository (not used)"
    }


def test_globs_that_ruff_would_expand_are_refused(tmp_path):
    tree = write(tmp_path / "repo", {
        "ruff.toml": 'exclude = ["$HOME"]\n[lint]\nselect = ["F401"]\nper-file-ignores = {"~/*" = ["F401"]}\n',
        "a.py": UNUSED,
    })  # fmt: skip
    findings = style(tree)
    assert rules(findings) == {("F401", "a.py", 1)}
    message = config_problems(findings)["ruff.toml"]
    assert "exclude '$HOME' expands variables or a home folder" in message
    assert "lint.per-file-ignores '~/*' expands variables or a home folder" in message


def test_configurations_above_the_tree_and_the_users_own_are_ignored(tmp_path, monkeypatch):
    (tmp_path / "pyproject.toml").write_text('[tool.ruff.lint]\nselect = ["ALL"]\n')
    (tmp_path / "home" / "ruff").mkdir(parents=True)
    (tmp_path / "home" / "ruff" / "ruff.toml").write_text(EVERYTHING)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("RUFF_OUTPUT_FILE", str(tmp_path / "stolen.json"))
    monkeypatch.setenv("RUFF_CACHE_DIR", str(tmp_path / "cache"))
    tree = write(tmp_path / "repo", {"pkg/a.py": UNUSED})
    assert rules(style(tree)) == {("F401", "pkg/a.py", 1), ("F841", "pkg/a.py", 5)}  # the defaults
    assert not (tmp_path / "stolen.json").exists() and not (tmp_path / "cache").exists()


def test_ruff_gets_no_secrets_from_the_environment(tmp_path, monkeypatch):
    import reviewers.style.ruff_run

    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "secret")
    environments = []
    run = subprocess.run

    def spy(*args, **kwargs):
        environments.append(kwargs["env"])
        return run(*args, **kwargs)

    monkeypatch.setattr(reviewers.style.ruff_run.subprocess, "run", spy)
    rules(style(write(tmp_path / "repo", {"a.py": UNUSED, "ruff.toml": 'exclude = ["${AWS_SECRET_ACCESS_KEY}"]\n'})))
    assert environments and all(set(env) <= {"PATH", "LANG", "LC_ALL", "TMPDIR", "TEMP", "TMP"} for env in environments)


def test_a_symlinked_configuration_is_not_read(tmp_path):
    (tmp_path / "outside.toml").write_text(EVERYTHING)
    tree = write(tmp_path / "repo", {"a.py": UNUSED})
    os.symlink(tmp_path / "outside.toml", tmp_path / "repo" / "ruff.toml")
    assert rules(style(tree)) == {("F401", "a.py", 1), ("F841", "a.py", 5)}


def test_an_unusable_configuration_is_reported_and_its_files_get_the_defaults(tmp_path):
    tree = write(tmp_path / "repo", {
        "ruff.toml": "[lint\nselect = \n",
        "a.py": UNUSED,
        "unknown_rule/ruff.toml": '[lint]\nselect = ["NOPE123"]\n',
        "unknown_rule/b.py": UNUSED,
        "loop/ruff.toml": 'extend = "other.toml"\n[lint]\nselect = ["F841"]\n',
        "loop/other.toml": 'extend = "ruff.toml"\n',
        "loop/c.py": UNUSED,
        "odd/ruff.toml": 'colour = "red"\nwhen = 1979-05-27\n[lint]\nselect = ["F841"]\nshade = 1\n',
        "odd/d.py": UNUSED,
    })  # fmt: skip
    findings = style(tree)
    assert rules(findings) == {
        ("F401", "a.py", 1), ("F841", "a.py", 5), ("F401", "unknown_rule/b.py", 1), ("F841", "unknown_rule/b.py", 5),
        ("F841", "loop/c.py", 5), ("F841", "odd/d.py", 5),
    }  # fmt: skip
    problems = config_problems(findings)
    assert problems["ruff.toml"].startswith(
        "ruff could not use this configuration; its files were checked with codepanel's defaults: "
        "ruff.toml: not readable as TOML"
    )
    assert "ruff refused it: Unknown rule selector `NOPE123` in `select`" in problems["unknown_rule/ruff.toml"]
    assert "/tmp" not in problems["unknown_rule/ruff.toml"]  # ruff's message, without our copy's path
    assert "loop/ruff.toml: the extend chain comes back to it (not followed)" in problems["loop/ruff.toml"]
    assert problems["odd/ruff.toml"] == (
        "ruff was not given part of this configuration: odd/ruff.toml: unknown ruff option 'colour' (not used); "
        "odd/ruff.toml: when holds a value ruff cannot take (not used); "
        "odd/ruff.toml: unknown ruff option 'lint.shade' (not used)"
    )


keys = st.text(st.characters(exclude_categories=["Cs"]), max_size=12)
values = st.recursive(
    st.text(st.characters(exclude_categories=["Cs"])) | st.booleans() | st.integers(-(2**63), 2**63 - 1),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(keys, inner, max_size=3),
    max_leaves=8,
)


@given(st.dictionaries(keys, values, max_size=4))
def test_what_is_written_for_ruff_reads_back_as_it_was(options):
    # Keys and values come from the repository: quotes, newlines and control characters never break out.
    assert tomllib.loads(to_toml(options)) == options


def test_past_max_scopes_configurations_files_get_the_defaults(tmp_path, monkeypatch):
    import reviewers.style.ruff_config

    monkeypatch.setattr(reviewers.style.ruff_config, "MAX_SCOPES", 1)
    tree = write(tmp_path / "repo", {
        "a/ruff.toml": '[lint]\nselect = ["F841"]\n', "a/x.py": UNUSED,
        "b/ruff.toml": '[lint]\nselect = ["F841"]\n', "b/y.py": UNUSED,
    })  # fmt: skip
    findings = style(tree)
    assert rules(findings) == {("F841", "a/x.py", 5), ("F401", "b/y.py", 1), ("F841", "b/y.py", 5)}
    assert config_problems(findings) == {
        "b/ruff.toml": "ruff could not use this configuration; its files were checked with codepanel's defaults: "
        "b/ruff.toml: more than 1 ruff configurations; its files get the defaults"
    }
