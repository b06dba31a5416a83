"""The schema of reviewers.yaml: every key, its default, and what it must hold.

A reviewer entry as written (``ReviewerEntry``) falls back to ``defaults``; ``Config.resolved``
applies them, giving the ``ReviewerConfig`` a reviewer run is handed.
"""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    ValidationError,
    field_validator,
    model_validator,
)

from framework.config.cloud import CloudConfig
from framework.config.messages import first_message, show
from framework.errors import ConfigError, UnknownReviewerError

NAME_PATTERN = r"^[a-z][a-z0-9_-]{0,39}$"
PROVIDERS = ("offline", "bedrock", "anthropic", "openai", "ollama")

PositiveInt = Annotated[int, Field(gt=0, strict=True)]
Fraction = Annotated[float, Field(ge=0, le=1, strict=True)]
UsdPerMillion = Annotated[float, Field(ge=0, strict=True)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


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
            raise ValueError(f"expected 'offline', PROVIDER:MODEL_ID or a mapping, got {show(value)}")
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


TestsMode = Literal["rank", "skip", "review"]


class Paths(Strict):
    """Which files of the repository a reviewer reviews: gitignore-style globs from its root."""

    # When set, only files matching one of these.
    include: list[str] = Field(default_factory=list)
    # Never files matching these (besides the built-in ones below).
    exclude: list[str] = Field(default_factory=list)
    # The built-in excludes: vendored, generated and migration code (framework.triage.paths).
    default_excludes: bool = True
    # Test code: reviewed, its findings ranked below all others (rank); reviewed like any code
    # (review); or left out (skip).
    tests: TestsMode = "rank"


class PathsOverride(Strict):
    """A reviewer's own paths: ``include`` and ``tests`` replace the defaults', ``exclude`` adds to them."""

    include: list[str] | None = None
    exclude: list[str] = Field(default_factory=list)
    default_excludes: bool | None = None
    tests: TestsMode | None = None


class Retention(Strict):
    """The local runs a workspace keeps: older ones are pruned after each review (`codepanel runs prune`)."""

    max_runs: PositiveInt | None = 50
    max_age_days: PositiveInt | None = 30


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
    paths: Paths = Field(default_factory=Paths)


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
    paths: PathsOverride = Field(default_factory=PathsOverride)
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
    paths: Paths = Field(default_factory=Paths)
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
    # Deployment settings read by `codepanel generate` and `deploy` (framework.config.cloud).
    cloud: CloudConfig = Field(default_factory=CloudConfig)
    retention: Retention = Field(default_factory=Retention)
    # NOTE: what a run derives from the config (its --model copy, its selection) is kept here, so
    # that the command line and the orchestrator in one process derive it once (the config is frozen).
    _derived: dict[tuple, Any] = PrivateAttr(default_factory=dict)

    @field_validator("reviewers")
    @classmethod
    def _names(cls, reviewers: dict[str, ReviewerEntry]) -> dict[str, ReviewerEntry]:
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
        own, base = entry.paths, self.defaults.paths
        paths = Paths(
            include=base.include if own.include is None else own.include,
            exclude=[*base.exclude, *own.exclude],
            default_excludes=base.default_excludes if own.default_excludes is None else own.default_excludes,
            tests=own.tests or base.tests,
        )
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
            paths=paths,
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
        key = ("select", tuple(requested or ()))
        if key not in self._derived:
            self._derived[key] = self._select(requested)
        return list(self._derived[key])

    def _select(self, requested: list[str] | None) -> list[ReviewerConfig]:
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
        key = ("with_model", model)
        if key not in self._derived:
            self._derived[key] = self._with_model(model)
        return self._derived[key]

    def _with_model(self, model: str) -> Config:
        try:
            spec = ModelSpec.model_validate(model)
        except ValidationError as error:
            raise ConfigError(f"--model: {first_message(error)}") from None
        reviewers = {
            name: entry.model_copy(update={"model": spec}) for name, entry in self.reviewers.items()
        }
        copy = self.model_copy(
            update={"defaults": self.defaults.model_copy(update={"model": spec}), "reviewers": reviewers}
        )
        copy._derived = {}
        return copy
