"""Every environment variable codepanel reads, and the "where am I running" probe, in one place.

The template sets the Lambda functions' variables from these names, the local runner hands the
plugins folder to its reviewer processes through one of them, and users may set the others.
Model providers' own variables (``OPENAI_API_KEY``, ``AWS_REGION``...) are read by
``framework.agents.providers``, where each provider is built. This module imports nothing of
codepanel, so that rendering a template needs neither the handlers nor the durable SDK.
"""

from __future__ import annotations

import os

# reviewers.yaml to use, instead of finding one (users; `--config` wins).
CONFIG = "CODEPANEL_CONFIG"
# The workspace folder: the S3 Files mount on AWS (set by the template), a user's choice locally.
WORKSPACE = "CODEPANEL_WORKSPACE"
# The project's reviewers/ folder of plugins, for the processes and functions that run its reviewers.
PROJECT_PLUGINS = "CODEPANEL_PROJECT_PLUGINS"
# Folders of plugin modules loaded besides the project's, the built-in ones and the entry points
# (os.pathsep between them): cloud.plugins_dir and --plugins-dir.
PLUGINS_DIR = "CODEPANEL_PLUGINS_DIR"
# Any value but "", 0, false or no: a plugin that fails to load is fatal (for plugin authors).
STRICT_PLUGINS = "CODEPANEL_STRICT_PLUGINS"
# A reviewer function's own reviewer name (set by the template on each reviewer function).
REVIEWER = "CODEPANEL_REVIEWER"
# The orchestrator's stack and the ARN prefix of its account's functions ("arn:aws:lambda:REGION:ACCOUNT:function:"),
# from which it derives each reviewer's function (framework.cloud.names).
STACK = "CODEPANEL_STACK"
FUNCTION_ARN_PREFIX = "CODEPANEL_FUNCTION_ARN_PREFIX"
# At most this many reviewers run at once on AWS (cloud.max_concurrency); unset locally.
MAX_CONCURRENCY = "CODEPANEL_MAX_CONCURRENCY"
# A digest of the configuration a function runs with: the template sets it so that a changed
# configuration publishes a new version of the function (nothing reads it).
CONFIG_DIGEST = "CODEPANEL_CONFIG_DIGEST"
# A function's model API key: the Secrets Manager secret that holds it, and the provider's variable
# to put it in when the function starts (framework/cloud/secrets.py).
API_KEY_SECRET = "CODEPANEL_API_KEY_SECRET"
API_KEY_VARIABLE = "CODEPANEL_API_KEY_VARIABLE"
# The HTTP trigger's target: the orchestrator's qualified ARN.
ORCHESTRATOR = "CODEPANEL_ORCHESTRATOR"
# A local reviewer process's end of its review's lifeline pipe (framework.run.lifeline).
LIFELINE_FD = "CODEPANEL_LIFELINE_FD"
# Set by Lambda in every function's environment.
LAMBDA_FUNCTION_NAME = "AWS_LAMBDA_FUNCTION_NAME"

NAMES = (
    CONFIG, WORKSPACE, PROJECT_PLUGINS, PLUGINS_DIR, STRICT_PLUGINS, REVIEWER, STACK, FUNCTION_ARN_PREFIX,
    MAX_CONCURRENCY, CONFIG_DIGEST, API_KEY_SECRET, API_KEY_VARIABLE, ORCHESTRATOR, LIFELINE_FD,
)  # fmt: skip

# Posting reviews on pull requests (framework.post) reads what CI sets. GitHub Actions:
GITHUB_TOKEN = "GITHUB_TOKEN"
GITHUB_REPOSITORY = "GITHUB_REPOSITORY"  # owner/name
GITHUB_API_URL = "GITHUB_API_URL"  # https://api.github.com, or a GitHub Enterprise Server's /api/v3
GITHUB_EVENT_PATH = "GITHUB_EVENT_PATH"  # the event's JSON payload: the pull request's number
GITHUB_STEP_SUMMARY = "GITHUB_STEP_SUMMARY"  # the job summary file, told when posting was skipped
# GitLab CI (its job token cannot write notes: GITLAB_TOKEN is a project or personal access token).
GITLAB_TOKEN = "GITLAB_TOKEN"
CI_API_V4_URL = "CI_API_V4_URL"
CI_PROJECT_ID = "CI_PROJECT_ID"
CI_MERGE_REQUEST_IID = "CI_MERGE_REQUEST_IID"
POSTING_NAMES = (GITHUB_TOKEN, GITHUB_REPOSITORY, GITHUB_API_URL, GITHUB_EVENT_PATH, GITHUB_STEP_SUMMARY,
                 GITLAB_TOKEN, CI_API_V4_URL, CI_PROJECT_ID, CI_MERGE_REQUEST_IID)  # fmt: skip


def running_on_lambda() -> bool:
    """Whether this process is a Lambda function, where the workspace is the mount, never a caller's choice."""
    return LAMBDA_FUNCTION_NAME in os.environ


def config_file() -> str | None:
    return os.environ.get(CONFIG) or None


def workspace() -> str | None:
    return os.environ.get(WORKSPACE) or None


def project_plugins() -> str | None:
    return os.environ.get(PROJECT_PLUGINS) or None


def plugins_dirs() -> list[str]:
    return [folder for folder in os.environ.get(PLUGINS_DIR, "").split(os.pathsep) if folder]


def strict_plugins() -> bool:
    return os.environ.get(STRICT_PLUGINS, "").lower() not in ("", "0", "false", "no")


def reviewer() -> str | None:
    return os.environ.get(REVIEWER) or None


def deployed_stack() -> tuple[str, str] | None:
    """The orchestrator's stack name and function ARN prefix on AWS; None locally."""
    stack, prefix = os.environ.get(STACK), os.environ.get(FUNCTION_ARN_PREFIX)
    return (stack, prefix) if stack and prefix else None


def max_concurrency() -> int | None:
    text = os.environ.get(MAX_CONCURRENCY, "")
    return int(text) if text.isdigit() and int(text) > 0 else None


def api_key_secret() -> tuple[str, str] | None:
    """The secret holding this function's model API key and the variable it goes in; None without one."""
    secret, variable = os.environ.get(API_KEY_SECRET), os.environ.get(API_KEY_VARIABLE)
    return (secret, variable) if secret and variable else None


def lifeline_fd() -> int | None:
    value = os.environ.get(LIFELINE_FD, "")
    return int(value) if value.isdigit() else None


def orchestrator() -> str:
    return os.environ[ORCHESTRATOR]
