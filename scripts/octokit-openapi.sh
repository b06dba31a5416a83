#!/usr/bin/env bash
# GitHub's official OpenAPI description, from npm's @octokit/openapi, for the posting tests
# (tests/post: a local server checks every request codepanel makes to GitHub against it).
#
# It is fetched once into a cache folder and reused; nothing downloads while the tests run.
#
#   scripts/octokit-openapi.sh           fetch it if needed, then run tests/post
#   scripts/octokit-openapi.sh --path    fetch it if needed, then print the package's folder
#
# The tests find it through $CODEPANEL_OCTOKIT_OPENAPI; without it they are skipped with this reason
# (and fail under CI=true). A failed fetch fails this script.
set -euo pipefail
cd "$(dirname "$0")/.."
version="23.0.2"
folder="${OCTOKIT_OPENAPI_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/codepanel/octokit-openapi-$version}"
if [ ! -f "$folder/package/generated/api.github.com.json" ]; then
    command -v npm >/dev/null || { echo "error: npm is needed to fetch @octokit/openapi" >&2; exit 1; }
    work="$(mktemp -d)"
    trap 'rm -rf "$work"' EXIT
    (cd "$work" && npm pack --silent "@octokit/openapi@$version" >/dev/null)
    mkdir -p "$work/unpacked"
    # Only the descriptions the tests read (github.com and a GitHub Enterprise Server), not the 300 MB of the rest.
    tar -xzf "$work/octokit-openapi-$version.tgz" -C "$work/unpacked" package/package.json package/LICENSE \
        package/generated/api.github.com.json package/generated/ghes-3.19.json
    test -f "$work/unpacked/package/generated/api.github.com.json"
    mkdir -p "$(dirname "$folder")"
    rm -rf "$folder"
    mv "$work/unpacked" "$folder"
fi
if [ "${1:-}" = "--path" ]; then
    echo "$folder/package"
    exit 0
fi
CODEPANEL_OCTOKIT_OPENAPI="$folder/package" exec python -m pytest tests/post -q "$@"
