#!/usr/bin/env bash
# Run one chapter's notebook with papermill, with its defaults or other parameters.
#
#   bash tools/run_chapter.sh 01_russian_labour_migration
#   bash tools/run_chapter.sh 01_russian_labour_migration -p focus_country Kyrgyzstan -p year 2015
#   bash tools/run_chapter.sh 01_russian_labour_migration --output-dir /tmp/kgz -p year 2015
#
# Sets up .venv (tools/setup_env.sh) and runs notebooks/<chapter>.ipynb with the venv's papermill,
# in the output folder (default _build/runs/<chapter>/, created): the executed notebook
# <chapter>.ipynb and the chapter's chart_data/ land there, not in the repository.
# BOOK_ROOT is set to the repository. Other arguments go to papermill (-p NAME VALUE, -y YAML, ...).
# Ctrl-C stops papermill and its kernel. Environment: BOOK_VENV, BOOK_SKIP_SETUP (setup_env.sh).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

usage() {
  echo "usage: bash tools/run_chapter.sh CHAPTER [--output-dir DIR] [papermill options, e.g. -p year 2015]" >&2
  echo "chapters:" $(cd "$ROOT/notebooks" && ls *.ipynb 2>/dev/null | sed 's/\.ipynb$//') >&2
}
if [ $# -lt 1 ] || [ "$1" = "-h" ] || [ "$1" = "--help" ]; then
  usage; exit 2
fi
chapter="$(basename "$1" .ipynb)"
chapter="$(basename "$chapter" .md)"
shift
notebook="$ROOT/notebooks/$chapter.ipynb"
if [ ! -f "$notebook" ]; then
  echo "tools/run_chapter.sh: no notebook notebooks/$chapter.ipynb" >&2
  usage; exit 2
fi

output_dir="$ROOT/_build/runs/$chapter"
papermill_args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --output-dir) [ $# -ge 2 ] || { usage; exit 2; }; output_dir="$2"; shift 2 ;;
    --output-dir=*) output_dir="${1#--output-dir=}"; shift ;;
    *) papermill_args+=("$1"); shift ;;
  esac
done

mkdir -p "$output_dir"
output_dir="$(cd "$output_dir" && pwd)"  # absolute, relative to where the command was typed
source "$ROOT/tools/setup_env.sh"
output="$output_dir/$chapter.ipynb"
export BOOK_ROOT="$ROOT"
cd "$output_dir"
echo "==> running notebooks/$chapter.ipynb in $output_dir"
GUARD_LABEL=papermill run_guarded papermill "$notebook" "$output" --cwd "$output_dir" \
  ${papermill_args[@]+"${papermill_args[@]}"}
echo "==> executed notebook: $output"
if [ -d "$output_dir/chart_data" ]; then
  echo "==> chart data: $output_dir/chart_data/"
fi
