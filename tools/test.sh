#!/usr/bin/env bash
# Run every test: package units, data validation, papermill runs of every notebook,
# the jupytext pairing, the strict book build and the offline browser check.
# Extra arguments go to pytest (e.g. tools/test.sh -k data).
# Ctrl-C or SIGTERM stops pytest and everything it started (builds, kernels, the browser)
# and the script exits non-zero. Environment: BOOK_VENV, BOOK_SKIP_SETUP (tools/setup_env.sh).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$ROOT/tools/setup_env.sh"
bash "$ROOT/tools/install_browser.sh"
cd "$ROOT"
export REQUIRE_BROWSER="${REQUIRE_BROWSER:-1}"
run_guarded python -m pytest "$@"
