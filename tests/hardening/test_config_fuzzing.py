"""reviewers.yaml documents generated with Hypothesis never produce a traceback: every error is one line
naming the file and the key."""

from __future__ import annotations

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from framework import config
from framework.errors import ConfigError

KEYS = ["version", "defaults", "source", "reviewers", "cloud", "model", "timeout", "memory", "limits",
        "plugin", "description", "enabled", "settings", "max_files", "max_file_bytes", "max_turns",
        "max_tokens", "max_files_read", "max_total_bytes", "clone_timeout", "allowed_schemes",
        "allowed_hosts", "private_networks", "provider", "model_id", "base_url", "options", "security",
        "style", "Bad Name", "x" * 50, "", "1"]

scalars = st.one_of(
    st.none(), st.booleans(), st.integers(min_value=-10**20, max_value=10**20),
    st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=20),
    st.sampled_from(["offline", "bedrock:m", "openai:", ":", "https", "auto", "refuse", "ten", "1e3"]),
)
values = st.recursive(
    scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=4),
        st.dictionaries(st.one_of(st.sampled_from(KEYS), st.integers(-3, 3)), children, max_size=5),
    ),
    max_leaves=25,
)
documents = st.dictionaries(st.sampled_from(KEYS), values, max_size=6)
shaped = st.fixed_dictionaries({}, optional={
    "defaults": st.dictionaries(st.sampled_from(["model", "timeout", "memory", "limits"]), values, max_size=4),
    "reviewers": st.dictionaries(st.sampled_from(["security", "style", "a-b", "Bad Name"]),
                                 st.dictionaries(st.sampled_from(KEYS), values, max_size=5), max_size=3),
    "source": st.dictionaries(st.sampled_from(KEYS[15:23]), values, max_size=4),
})


def check(text: str) -> None:
    try:
        parsed = config.parse(text, "reviewers.yaml")
    except ConfigError as error:
        message = str(error)
        assert message.startswith("reviewers.yaml"), message
        assert "\n" not in message, message
        assert len(message) < 600
        return
    for entry in parsed.all_resolved():  # what loads must also resolve
        assert entry.timeout > 0 and entry.memory >= 128


@settings(max_examples=400, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(documents)
def test_arbitrary_documents(document):
    check(yaml.safe_dump(document))


@settings(max_examples=400, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(shaped)
def test_documents_shaped_like_the_schema(document):
    check(yaml.safe_dump(document))


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=200))
def test_arbitrary_text(text):
    check(text)
