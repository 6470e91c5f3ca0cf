#!/usr/bin/env bash
# Build the whole site: set up .venv, execute every chapter afresh, write _build/html.
# Warnings are errors (-W -n) and a failing cell fails the build (nb_execution_raise_on_error).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$ROOT/tools/setup_env.sh"
cd "$ROOT"
start=$(date +%s)
# A clean build folder and --all: the execution cache keys on code cells only, so a
# changed data file would otherwise leave stale numbers on the page.
rm -rf _build
jupyter-book build . --all -W -n --keep-going
echo "==> built in $(( $(date +%s) - start )) s: open $ROOT/_build/html/index.html"
