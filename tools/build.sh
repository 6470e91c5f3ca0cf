#!/usr/bin/env bash
# Build the whole site: set up .venv, execute every chapter afresh, write _build/html.
# Warnings are errors (-W -n) and a failing cell fails the build (nb_execution_raise_on_error).
#
# The build's output is also saved in _build/build.log; when the build fails, the output ends
# with a summary (tools/summarize_build.py): each failing page and its exception.
# Ctrl-C or SIGTERM stops jupyter-book and its kernels too, and the script exits non-zero.
# Environment: BOOK_VENV, BOOK_SKIP_SETUP (see tools/setup_env.sh); BOOK_PDF=0 builds without
# the book's PDF (_ext/book_pdf.py), which headless Chromium prints at the end of the build.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$ROOT/tools/setup_env.sh"
if [ "${BOOK_PDF:-1}" != "0" ]; then
  bash "$ROOT/tools/install_browser.sh"
fi
cd "$ROOT"
start=$(date +%s)
# A clean build folder and --all: the execution cache keys on code cells only, so a
# changed data file would otherwise leave stale numbers on the page.
rm -rf _build
mkdir -p _build
log="$ROOT/_build/build.log"
# Each data file is validated once per build; the other kernels load the checked copy
# (migration_recomputed.data). Removed with _build, so every clean build checks every file.
export BOOK_DATA_CACHE="$ROOT/_build/validated-data"
# Each chart's specification is checked against Vega-Lite's schema when the build draws its SVG
# (_ext/static_charts.py), in the background, instead of a second time in the chapter's kernel.
export BOOK_CHARTS_VALIDATED_BY_BUILD=1
status=0
# The pipeline runs in its own process group; tee keeps the log, pipefail keeps jupyter-book's status.
GUARD_LABEL=jupyter-book run_guarded bash -o pipefail -c '"$@" 2>&1 | tee "$0"' "$log" \
  jupyter-book build . --all -W -n --keep-going || status=$?
if [ "$status" -ne 0 ]; then
  echo
  "$(command -v python || command -v python3)" "$ROOT/tools/summarize_build.py" "$log" "$ROOT" || true
  echo "==> build FAILED (exit $status) after $(( $(date +%s) - start )) s; full log: $log" >&2
  exit "$status"
fi
echo "==> built in $(( $(date +%s) - start )) s: open $ROOT/_build/html/index.html (log: $log)"
