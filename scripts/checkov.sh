#!/usr/bin/env bash
# checkov on the SAM template that `codepanel generate` renders (every test variant) and on framework/cloud/Dockerfile.
#
# checkov pins boto3 far below the release whose Lambda client has the durable execution APIs that
# `codepanel run` uses, so it cannot share the project's environment: it gets a virtual environment
# of its own, made once and reused.
#
#   scripts/checkov.sh            install checkov if needed, then run tests/cloud/test_checkov.py
#   scripts/checkov.sh --path     install checkov if needed, then print the checkov executable
#
# The tests find checkov through $CODEPANEL_CHECKOV; without it they are skipped with this reason.
set -euo pipefail
cd "$(dirname "$0")/.."
version="3.3.30"
venv="${CHECKOV_VENV:-${XDG_CACHE_HOME:-$HOME/.cache}/codepanel/checkov-$version}"
if [ ! -x "$venv/bin/checkov" ]; then
    python3 -m venv "$venv" >&2
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check "checkov==$version" >&2
fi
if [ "${1:-}" = "--path" ]; then
    echo "$venv/bin/checkov"
    exit 0
fi
CODEPANEL_CHECKOV="$venv/bin/checkov" exec python -m pytest tests/cloud/test_checkov.py -q "$@"
