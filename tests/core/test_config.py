"""reviewers.yaml validation: every mistake is one line naming the file and the key."""

from __future__ import annotations

import pytest

from framework import config
from framework.errors import ConfigError, UnknownReviewerError

BAD_DOCUMENTS = [
    ("reviewers: {style: {timeout: ten}}", "reviewers.style.timeout: expected an integer, got 'ten'"),
    ("reviewers: {style: {timeout: -1}}", "reviewers.style.timeout: expected a positive integer, got -1"),
    ("reviewers: {style: {timeout: 1.5}}", "reviewers.style.timeout: expected an integer, got 1.5"),
    ("reviewers: {style: {colour: red}}", "reviewers.style.colour: unknown key"),
    ("colour: red", "colour: unknown key"),
    ("reviewers: [style]", "reviewers: expected a mapping, got ['style']"),
    ("reviewers:\n  style: {}\n  style: {}\n", "reviewers.yaml:3:3: invalid YAML: duplicate key 'style'"),
    ("reviewers: {style: {model: gpt}}", "reviewers.style.model: expected 'offline' or PROVIDER:MODEL_ID"),
    ("reviewers: {style: {model: {provider: openai}}}", "reviewers.style.model: a model id is required for provider 'openai'"),
    ("reviewers: {style: {enabled: perhaps}}", "reviewers.style.enabled: expected true or false, got 'perhaps'"),
    ("reviewers: {style: {limits: {max_turns: 0}}}", "reviewers.style.limits.max_turns: expected a positive integer, got 0"),
    ("reviewers: {style: {settings: [1]}}", "reviewers.style.settings: expected a mapping, got [1]"),
    ("defaults: {memory: 64}", "defaults.memory: expected an integer of at least 128, got 64"),
    ("source: {allowed_schemes: [ftp]}", "source.allowed_schemes.0: expected one of"),
    ("reviewers: {Bad Name: {}}", "reviewer name 'Bad Name' must start with a letter"),
    ("reviewers: {a: {timeout: 5}", "reviewers.yaml:1:28: invalid YAML: expected ',' or '}'"),
    ("- just\n- a list\n", "reviewers.yaml: expected a mapping at the top level, got a list"),
    ("version: 2", "version: expected one of 1, got 2"),
]


@pytest.mark.parametrize(("document", "expected"), BAD_DOCUMENTS)
def test_bad_documents_give_one_line_naming_the_key(document, expected):
    with pytest.raises(ConfigError) as raised:
        config.parse(document, "reviewers.yaml")
    message = str(raised.value)
    assert message.startswith("reviewers.yaml")
    assert expected in message
    assert "\n" not in message


def test_defaults_apply_and_reviewer_values_win():
    parsed = config.parse(
        """
        defaults: {timeout: 100, memory: 512, model: "bedrock:anthropic.claude-x", limits: {max_turns: 7}}
        reviewers:
          security: {timeout: 30, limits: {max_tokens: 1000}}
          style: {model: offline, memory: 2048}
        """
    )
    security, style = parsed.select(None)
    assert (security.timeout, security.memory, security.model.label()) == (30, 512, "bedrock:anthropic.claude-x")
    assert (security.limits.max_turns, security.limits.max_tokens) == (7, 1000)
    assert (style.timeout, style.memory, style.model.offline) == (100, 2048, True)
    assert security.plugin == "security"


def test_model_strings_keep_colons_in_the_model_id():
    spec = config.ModelSpec.model_validate("ollama:llama3.1:8b")
    assert (spec.provider, spec.model_id) == ("ollama", "llama3.1:8b")


def test_select_honours_subset_order_and_skips_disabled_by_default():
    parsed = config.parse("reviewers: {a: {}, b: {enabled: false}, c: {}}")
    assert [entry.name for entry in parsed.select(None)] == ["a", "c"]
    assert [entry.name for entry in parsed.select(["c", "b", "c"])] == ["c", "b"]


def test_unknown_reviewer_lists_the_ones_that_exist():
    parsed = config.parse("reviewers: {a: {}, b: {}}")
    with pytest.raises(UnknownReviewerError) as raised:
        parsed.select(["a", "zzz"])
    assert str(raised.value) == "unknown reviewer 'zzz'; reviewers that exist: a, b"


def test_with_model_overrides_every_reviewer_and_rejects_nonsense():
    parsed = config.parse("reviewers: {a: {model: 'bedrock:x'}, b: {}}")
    overridden = parsed.with_model("openai:gpt-test")
    assert {entry.model.label() for entry in overridden.select(None)} == {"openai:gpt-test"}
    with pytest.raises(ConfigError, match="^--model: expected 'offline'"):
        parsed.with_model("nonsense")


def test_the_project_config_is_valid():
    parsed = config.load(config.packaged_file("reviewers.yaml"))
    assert {"security", "style"} <= set(parsed.reviewers)


def test_missing_file_is_a_config_error(tmp_path):
    with pytest.raises(ConfigError, match="no such file"):
        config.load(tmp_path / "nope.yaml")


@pytest.mark.parametrize("document", ["reviewers: {style: {timeout: ten}}", "a: [", "reviewers: {style: {plugin: nope}}"])
def test_cli_reports_config_errors_in_one_line_with_exit_2(cli, config_file, document, repo):
    config_file.write_text(document)
    result = cli("review", str(repo))
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and str(config_file) in lines[0]
    assert "Traceback" not in result.output


def test_reviewer_settings_are_validated_against_the_plugins_model_when_the_panel_loads(config_file):
    from framework.panel import Panel

    text = config_file.read_text().replace("settings: {}", "settings: {selct: [E4]}")
    config_file.write_text(text)
    with pytest.raises(ConfigError) as error:
        Panel.load(str(config_file))
    assert str(error.value) == (
        f"{config_file}: reviewers.style.settings.selct: unknown key (known: select, ignore, line_length)"
    )
    config_file.write_text(text.replace("selct: [E4]", "line_length: long"))
    with pytest.raises(ConfigError, match=r"reviewers\.style\.settings\.line_length: expected an integer, got 'long'"):
        Panel.load(str(config_file))


def test_a_settings_mistake_stops_a_review_before_it_starts(cli, config_file, repo, workspace):
    text = config_file.read_text().replace("    plugin: security\n", "    plugin: security\n    settings: {workers: 0}\n")
    config_file.write_text(text)
    result = cli("review", str(repo))
    assert result.exit_code == 2
    assert "reviewers.security.settings.workers: expected a positive integer, got 0" in result.output
    assert not (workspace / "runs").exists()
