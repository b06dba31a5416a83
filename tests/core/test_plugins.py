"""Plugins: the reviewers package, a plugins folder, entry points; broken ones skipped."""

from __future__ import annotations

import sys
import textwrap

import pytest

from framework import Reviewer, hookimpl
from framework import plugins as plugin_loader
from framework.errors import PluginError


class Extra(Reviewer):
    name = "extra"
    description = "registered by a test"


class ExtraPlugin:
    @hookimpl
    def register_reviewers(self, register):
        register(Extra)


def reviewer_plugin(name: str, hook: str = "register_reviewers") -> str:
    """The source of a plugin that registers a reviewer called ``name`` from a hook called ``hook``."""
    return textwrap.dedent(f'''
        from framework import Reviewer, hookimpl
        class Made(Reviewer):
            name = {name!r}
        @hookimpl
        def {hook}(register):
            register(Made)
    ''')


def test_pm_fixture_registers_and_unregisters_a_test_plugin(pm):
    plugin = ExtraPlugin()
    pm.register(plugin, name="extra-plugin")
    found = []
    pm.hook.register_reviewers(register=found.append)
    assert found == [Extra]
    pm.unregister(name="extra-plugin")
    found.clear()
    pm.hook.register_reviewers(register=found.append)
    assert found == []


def test_builtins_register_through_the_public_hook():
    loaded = plugin_loader.load(entry_points=False)
    assert {"security", "style"} <= set(loaded.reviewers)
    assert loaded.reviewers["security"].origin == "built-in"
    assert loaded.reviewers["security"].plugin == "reviewers.security"
    assert loaded.problems == []


def test_a_plugins_folder_adds_reviewers_and_broken_ones_are_reported(tmp_path, plugins_folder):
    folder = plugins_folder("todo_reviewer", "broken_plugin")
    loaded = plugin_loader.load(folder, entry_points=False)
    assert loaded.reviewers["hack"].origin == f"plugins-dir {folder}"
    assert {"security", "style", "hack"} <= set(loaded.reviewers)
    assert len(loaded.problems) == 1
    assert "'broken_plugin'" in loaded.problems[0] and "broken on purpose" in loaded.problems[0]


def test_strict_mode_makes_a_broken_plugin_fatal(tmp_path, monkeypatch, plugins_folder):
    monkeypatch.setenv("CODEPANEL_STRICT_PLUGINS", "1")
    with pytest.raises(PluginError, match="broken_plugin.*broken on purpose"):
        plugin_loader.load(plugins_folder("broken_plugin"), entry_points=False)


def test_missing_plugins_folder_is_an_error(tmp_path):
    with pytest.raises(PluginError, match="does not exist"):
        plugin_loader.load(tmp_path / "nope", entry_points=False)


def test_two_plugins_registering_one_name_fail_naming_both(tmp_path, plugins_folder):
    folder = plugins_folder()
    (folder / "impostor.py").write_text(reviewer_plugin("style"))
    with pytest.raises(PluginError, match=r"reviewer 'style' is registered twice: by plugin 'reviewers.style' \(built-in\) and by plugin 'impostor'"):
        plugin_loader.load(folder, entry_points=False)


def test_a_hook_that_registers_nonsense_is_reported(tmp_path, plugins_folder):
    folder = plugins_folder()
    (folder / "nonsense.py").write_text(
        "from framework import hookimpl\n@hookimpl\ndef register_reviewers(register):\n    register(42)\n"
    )
    loaded = plugin_loader.load(folder, entry_points=False)
    assert any("registered 42, which is not a Reviewer subclass" in problem for problem in loaded.problems)


def test_entry_point_plugins_are_loaded(tmp_path, monkeypatch):
    site = tmp_path / "site"
    (site / "codepanel_fancy-1.0.dist-info").mkdir(parents=True)
    (site / "codepanel_fancy-1.0.dist-info" / "METADATA").write_text("Metadata-Version: 2.1\nName: codepanel-fancy\nVersion: 1.0\n")
    (site / "codepanel_fancy-1.0.dist-info" / "entry_points.txt").write_text("[codepanel]\nfancy = codepanel_fancy\n")
    (site / "codepanel_fancy.py").write_text(
        "from framework import Reviewer, hookimpl\n"
        "class Fancy(Reviewer):\n    name = 'fancy'\n    description = 'from an entry point'\n"
        "@hookimpl\ndef register_reviewers(register):\n    register(Fancy)\n"
    )
    monkeypatch.syspath_prepend(str(site))
    loaded = plugin_loader.load()
    assert loaded.reviewers["fancy"].origin == "entry-point codepanel-fancy"
    sys.modules.pop("codepanel_fancy", None)


def test_get_unknown_reviewer_lists_what_exists():
    loaded = plugin_loader.load(entry_points=False)
    with pytest.raises(PluginError, match="no plugin registers a reviewer named 'nope'; registered: .*security"):
        loaded.get("nope")


def test_a_misspelt_hook_is_a_problem_naming_the_plugin_and_the_hook(plugins_folder):
    folder = plugins_folder()
    (folder / "typo.py").write_text(reviewer_plugin("typo", hook="register_reviewer"))
    loaded = plugin_loader.load(folder, entry_points=False)
    assert loaded.problems == [
        (f"plugin 'typo' (plugins-dir {folder}) implements unknown hook 'register_reviewer'; "
         "the hooks are aggregate_findings, register_reviewers")
    ]
    assert "typo" not in loaded.reviewers and {"security", "style"} <= set(loaded.reviewers)


def test_strict_mode_makes_a_misspelt_hook_fatal(plugins_folder, monkeypatch):
    folder = plugins_folder()
    (folder / "typo.py").write_text("from framework import hookimpl\n@hookimpl\ndef aggregate(findings):\n    pass\n")
    monkeypatch.setenv("CODEPANEL_STRICT_PLUGINS", "1")
    with pytest.raises(PluginError, match="plugin 'typo' .* implements unknown hook 'aggregate'"):
        plugin_loader.load(folder, entry_points=False)


def test_a_plugin_needs_nothing_but_the_framework_package():
    import framework

    for name in framework.__all__:
        assert getattr(framework, name) is not None, name
    assert framework.PathRefused.__module__ == "framework.errors"
    assert framework.ModelSession.__name__ == "ModelSession" and framework.Status.OK == "ok"


def test_one_process_loads_the_plugins_once_until_a_plugin_file_changes(plugins_folder, monkeypatch):
    folder = plugins_folder("todo_reviewer")
    loads = []
    real = plugin_loader.load
    monkeypatch.setattr(plugin_loader, "load", lambda *args, **kwargs: loads.append(args) or real(*args, **kwargs))
    first = plugin_loader.shared(folder)
    assert plugin_loader.shared(folder) is first and len(loads) == 1
    (folder / "more.py").write_text("")
    assert plugin_loader.shared(folder) is not first and len(loads) == 2
