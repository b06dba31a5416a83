"""reviewers.yaml: its schema, and the one place where it is read and validated.

Every error names the file, the key path and what was expected, in one line.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from framework.config.cloud import CloudConfig
from framework.errors import ConfigError

CONFIG_FILENAME = "reviewers.yaml"
NAME_PATTERN = r"^[a-z][a-z0-9_-]{0,39}$"
PROVIDERS = ("offline", "bedrock", "anthropic", "openai", "ollama")

PositiveInt = Annotated[int, Field(gt=0, strict=True)]
Fraction = Annotated[float, Field(ge=0, le=1, strict=True)]
UsdPerMillion = Annotated[float, Field(ge=0, strict=True)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ModelSpec(Strict):
    """Which model an agent uses. ``offline`` means no model: the analyzers alone."""

    provider: Literal["offline", "bedrock", "anthropic", "openai", "ollama"] = "offline"
    model_id: str | None = None
    base_url: str | None = None
    region: str | None = None
    options: dict[str, Any] = Field(default_factory=dict)

    @model_validator(mode="before")
    @classmethod
    def _from_string(cls, value: Any) -> Any:
        if isinstance(value, str):
            return parse_model_string(value)
        if not isinstance(value, (dict, ModelSpec)):
            raise ValueError(f"expected 'offline', PROVIDER:MODEL_ID or a mapping, got {_show(value)}")
        return value

    @model_validator(mode="after")
    def _needs_model_id(self) -> ModelSpec:
        if self.provider != "offline" and not self.model_id:
            raise ValueError(f"a model id is required for provider {self.provider!r}")
        return self

    @property
    def offline(self) -> bool:
        return self.provider == "offline"

    def label(self) -> str:
        return "offline" if self.offline else f"{self.provider}:{self.model_id}"


def parse_model_string(value: str) -> dict[str, Any]:
    """``offline`` or ``provider:model-id`` (the model id may itself hold colons)."""
    value = value.strip()
    if value in ("", "offline", "none"):
        return {"provider": "offline"}
    provider, sep, model_id = value.partition(":")
    if not sep or provider not in PROVIDERS or not model_id:
        raise ValueError(
            f"expected 'offline' or PROVIDER:MODEL_ID with PROVIDER one of "
            f"{', '.join(PROVIDERS[1:])}, got {value!r}"
        )
    return {"provider": provider, "model_id": model_id}


class Limits(Strict):
    """What one reviewer may consume. Agent limits apply only when a model is configured."""

    max_files: PositiveInt = 20_000
    max_file_bytes: PositiveInt = 1_000_000
    max_turns: PositiveInt = 30
    max_tokens: PositiveInt = 200_000
    max_files_read: PositiveInt = 200


class LimitsOverride(Strict):
    """A reviewer's own limits; unset ones come from ``defaults.limits``."""

    max_files: PositiveInt | None = None
    max_file_bytes: PositiveInt | None = None
    max_turns: PositiveInt | None = None
    max_tokens: PositiveInt | None = None
    max_files_read: PositiveInt | None = None


class AgentSettings(Strict):
    """How a reviewer's agent works when a model is configured."""

    # A second pass in which the model re-checks each finding with the code around it.
    verify: bool = False
    # Findings the verification pass rates below this confidence (0 to 1) are rejected.
    min_confidence: Fraction = 0.5


class AgentOverride(Strict):
    """A reviewer's own agent settings; unset ones come from ``defaults.agent``."""

    verify: bool | None = None
    min_confidence: Fraction | None = None


class Price(Strict):
    """What a model costs, in US dollars per million tokens."""

    input: UsdPerMillion
    output: UsdPerMillion


class SourceLimits(Strict):
    """Bounds on the repository fetched into a run, and which URLs may be fetched."""

    max_total_bytes: PositiveInt = 200_000_000
    max_files: PositiveInt = 50_000
    max_file_bytes: PositiveInt = 2_000_000
    clone_timeout: PositiveInt = 300
    allowed_schemes: list[Literal["https", "http", "ssh", "file"]] = Field(
        default_factory=lambda: ["https"]
    )
    allowed_hosts: list[str] = Field(
        default_factory=lambda: ["github.com", "gitlab.com", "bitbucket.org", "codeberg.org"]
    )
    # Whether a host that resolves to a loopback, link-local or private address may be cloned:
    # "auto" refuses on AWS (where the metadata endpoint and the VPC are reachable) and allows locally.
    private_networks: Literal["auto", "allow", "refuse"] = "auto"


class Defaults(Strict):
    model: ModelSpec = Field(default_factory=ModelSpec)
    timeout: PositiveInt = 300
    memory: Annotated[int, Field(ge=128, le=10_240, strict=True)] = 1024
    limits: Limits = Field(default_factory=Limits)
    agent: AgentSettings = Field(default_factory=AgentSettings)


class ReviewerEntry(Strict):
    """One ``reviewers.<name>`` entry as written; unset fields fall back to ``defaults``."""

    plugin: str | None = None
    description: str | None = None
    enabled: bool = True
    model: ModelSpec | None = None
    timeout: PositiveInt | None = None
    memory: Annotated[int, Field(ge=128, le=10_240, strict=True)] | None = None
    limits: LimitsOverride = Field(default_factory=LimitsOverride)
    agent: AgentOverride = Field(default_factory=AgentOverride)
    settings: dict[str, Any] = Field(default_factory=dict)


class ReviewerConfig(Strict):
    """A reviewer entry with the defaults applied: what a reviewer run is handed."""

    name: str
    plugin: str
    description: str = ""
    enabled: bool = True
    model: ModelSpec
    timeout: int
    memory: int
    limits: Limits
    agent: AgentSettings = Field(default_factory=AgentSettings)
    # The price of ``model`` from reviewers.yaml's ``pricing``, when it sets one.
    price: Price | None = None
    settings: dict[str, Any] = Field(default_factory=dict)


class Config(Strict):
    version: Literal[1] = 1
    defaults: Defaults = Field(default_factory=Defaults)
    source: SourceLimits = Field(default_factory=SourceLimits)
    reviewers: dict[str, ReviewerEntry] = Field(default_factory=dict)
    # Prices per model ("provider:model-id"), overriding the built-in table of framework.pricing.
    pricing: dict[str, Price] = Field(default_factory=dict)
    # Deployment settings read by `codepanel generate` and `deploy` (framework.cloud_config).
    cloud: CloudConfig = Field(default_factory=CloudConfig)

    @field_validator("reviewers")
    @classmethod
    def _names(cls, reviewers: dict[str, ReviewerEntry]) -> dict[str, ReviewerEntry]:
        import re

        for name in reviewers:
            if not re.match(NAME_PATTERN, name):
                raise ValueError(
                    f"reviewer name {name!r} must start with a letter and hold only "
                    "lowercase letters, digits, '-' and '_' (at most 40 characters)"
                )
        return reviewers

    @field_validator("pricing")
    @classmethod
    def _priced_models(cls, pricing: dict[str, Price]) -> dict[str, Price]:
        for key in pricing:
            if parse_model_string(key)["provider"] == "offline":
                raise ValueError(f"pricing key {key!r}: expected PROVIDER:MODEL_ID")
        return pricing

    def resolved(self, name: str) -> ReviewerConfig:
        entry = self.reviewers[name]
        limits = self.defaults.limits.model_copy(update=entry.limits.model_dump(exclude_none=True))
        agent = self.defaults.agent.model_copy(update=entry.agent.model_dump(exclude_none=True))
        model = entry.model or self.defaults.model
        return ReviewerConfig(
            name=name,
            plugin=entry.plugin or name,
            description=entry.description or "",
            enabled=entry.enabled,
            model=model,
            timeout=entry.timeout or self.defaults.timeout,
            memory=entry.memory or self.defaults.memory,
            limits=limits,
            agent=agent,
            price=self.price_of(model),
            settings=entry.settings,
        )

    def price_of(self, model: ModelSpec) -> Price | None:
        """The price reviewers.yaml sets for ``model``, if any."""
        return None if model.offline else self.pricing.get(model.label())

    def all_resolved(self) -> list[ReviewerConfig]:
        return [self.resolved(name) for name in self.reviewers]

    def enabled_names(self) -> list[str]:
        return [name for name, entry in self.reviewers.items() if entry.enabled]

    def select(self, requested: list[str] | None) -> list[ReviewerConfig]:
        """The reviewers to run: ``requested`` in that order, or every enabled one."""
        from framework.errors import UnknownReviewerError

        if not requested:
            return [self.resolved(name) for name in self.enabled_names()]
        unknown = [name for name in requested if name not in self.reviewers]
        if unknown:
            raise UnknownReviewerError(
                f"unknown reviewer {', '.join(map(repr, unknown))}; "
                f"reviewers that exist: {', '.join(self.reviewers) or 'none'}"
            )
        return [self.resolved(name) for name in dict.fromkeys(requested)]

    def with_model(self, model: str | None) -> Config:
        """A copy where every reviewer uses ``model`` (the CLI's ``--model``)."""
        if model is None:
            return self
        try:
            spec = ModelSpec.model_validate(model)
        except ValidationError as error:
            raise ConfigError(f"--model: {_first_message(error)}") from None
        reviewers = {
            name: entry.model_copy(update={"model": spec}) for name, entry in self.reviewers.items()
        }
        return self.model_copy(
            update={"defaults": self.defaults.model_copy(update={"model": spec}), "reviewers": reviewers}
        )


class _UniqueKeyLoader(yaml.SafeLoader):
    """A safe loader that refuses duplicate keys instead of keeping the last one."""

    def construct_mapping(self, node, deep=False):  # noqa: ANN001, FBT002
        seen: set = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=True)
            if isinstance(key, (list, dict)):
                raise yaml.constructor.ConstructorError(
                    None, None, "a mapping key must be a plain value", key_node.start_mark
                )
            if key in seen:
                raise yaml.constructor.ConstructorError(
                    None, None, f"duplicate key {key!r}", key_node.start_mark
                )
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


def parse(text: str, origin: str = CONFIG_FILENAME) -> Config:
    """Parse and validate the text of a reviewers.yaml; ``origin`` names it in errors."""
    try:
        data = yaml.load(text, Loader=_UniqueKeyLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        where = f"{origin}:{mark.line + 1}:{mark.column + 1}" if mark else origin
        problem = error.problem or error.context or "malformed YAML"
        raise ConfigError(f"{where}: invalid YAML: {problem}") from None
    except yaml.YAMLError as error:
        raise ConfigError(f"{origin}: invalid YAML: {' '.join(str(error).split())}") from None
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise ConfigError(f"{origin}: expected a mapping at the top level, got {_kind(data)}")
    return validate(data, origin)


def validate(data: dict[str, Any], origin: str = CONFIG_FILENAME) -> Config:
    try:
        return Config.model_validate(data)
    except ValidationError as error:
        raise ConfigError(f"{origin}: {_first_message(error)}") from None
    except (TypeError, ValueError) as error:  # a stray value pydantic could not even inspect
        raise ConfigError(f"{origin}: {' '.join(str(error).split())}") from None


def load(path: str | os.PathLike[str]) -> Config:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(f"{path}: no such file") from None
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigError(f"{path}: cannot read: {error}") from None
    return parse(text, str(path))


def find_config_file(explicit: str | os.PathLike[str] | None = None) -> Path:
    """The reviewers.yaml to use: ``explicit``, $CODEPANEL_CONFIG, ./reviewers.yaml, or the packaged one."""
    if explicit:
        return Path(explicit)
    if env := os.environ.get("CODEPANEL_CONFIG"):
        return Path(env)
    local = Path.cwd() / CONFIG_FILENAME
    if local.is_file():
        return local
    return packaged_file(CONFIG_FILENAME)


def packaged_file(name: str) -> Path:
    """A top-level project file (reviewers.yaml, template.yaml.j2), in a checkout or a wheel."""
    here = Path(__file__).resolve().parents[1]  # the framework package
    for candidate in (here.parent / name, here / "data" / name):
        if candidate.is_file():
            return candidate
    raise ConfigError(f"{name}: not found next to the framework package")


def _first_message(error: ValidationError) -> str:
    """One line for the first problem: the key path, what was expected, what was found."""
    problem = error.errors(include_url=False)[0]
    path = ".".join(str(part) for part in problem["loc"] if not _is_internal(part))
    kind = problem["type"]
    found = problem.get("input")
    if kind == "extra_forbidden":
        return f"{path}: unknown key"
    if kind == "missing":
        return f"{path}: required key is missing"
    if kind == "invalid_key":
        return f"{path}: keys must be strings, got {_show(found)}"
    expected = _EXPECTED.get(kind)
    if expected is None:
        expected = problem["msg"].removeprefix("Value error, ")
        if kind == "literal_error" and "ctx" in problem:
            expected = f"expected one of {problem['ctx']['expected']}"
    limit = problem.get("ctx", {})
    if limit.get("gt") == 0:
        expected = "expected a positive integer"
    elif isinstance(limit.get("ge", limit.get("le")), float):  # a bounded number, not an integer
        bound = f"at least {limit['ge']:g}" if "ge" in limit else f"at most {limit['le']:g}"
        expected = f"expected a number {bound}"
    elif "gt" in limit:
        expected = f"{expected} greater than {limit['gt']}"
    elif "ge" in limit:
        expected = f"{expected} of at least {limit['ge']}"
    elif "le" in limit:
        expected = f"{expected} of at most {limit['le']}"
    message = f"{path}: {expected}" if path else expected
    if kind != "value_error" and "got" not in message:
        message += f", got {_show(found)}"
    return " ".join(message.split())


def _is_internal(part: Any) -> bool:
    # pydantic adds tags such as "function-before[...]" or "str" for union members.
    return isinstance(part, str) and ("[" in part or part in ("str", "int", "bool", "dict"))


_EXPECTED = {
    "int_type": "expected an integer",
    "int_strict": "expected an integer",
    "int_parsing": "expected an integer",
    "int_from_float": "expected an integer",
    "greater_than": "expected an integer",
    "greater_than_equal": "expected an integer",
    "less_than_equal": "expected an integer",
    "float_type": "expected a number",
    "float_parsing": "expected a number",
    "bool_type": "expected true or false",
    "bool_parsing": "expected true or false",
    "string_type": "expected a string",
    "dict_type": "expected a mapping",
    "model_type": "expected a mapping",
    "model_attributes_type": "expected a mapping",
    "list_type": "expected a list",
}


def _kind(value: Any) -> str:
    return {list: "a list", str: "a string", int: "an integer", float: "a number", bool: "a boolean"}.get(
        type(value), type(value).__name__
    )


def _show(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."
