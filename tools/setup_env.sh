#!/usr/bin/env bash
# Create or update the project's virtual environment (sourced by build.sh, test.sh, run_chapter.sh).
# Needs only Python 3.11 with venv; pins come from requirements.txt and constraints.txt.
#
# Environment overrides (defaults in brackets):
#   PYTHON=python3         the interpreter that creates the venv
#   BOOK_VENV=<root>/.venv where the venv lives
#   BOOK_SKIP_SETUP=1      use BOOK_VENV as it is: no check, no install (tests, offline rebuilds)
#
# A venv left broken by an interrupted first set-up (no python, or no working pip) is
# recreated; the requirements stamp is written only after pip install succeeded.
#
# Also defines run_guarded, which build.sh, test.sh and run_chapter.sh use to run their
# long child so that Ctrl-C, SIGTERM or an early exit stops it and everything it started.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
PYTHON="${PYTHON:-python3}"
VENV="${BOOK_VENV:-$ROOT/.venv}"

# --- running a child so that it can be stopped with all its descendants ---------------------

# Every descendant of pid $1, from one snapshot of the process table.
_descendants() {
  ps -e -o pid=,ppid= 2>/dev/null | awk -v root="$1" '
    { parent[$1] = $2; pids[NR] = $1 }
    END {
      want[root] = 1; changed = 1
      while (changed) {
        changed = 0
        for (i in pids) { p = pids[i]; if (!(p in want) && (parent[p] in want)) { want[p] = 1; changed = 1 } }
      }
      for (p in want) if (p != root) print p
    }'
}

# True while pid $1 runs (a zombie waiting to be reaped does not count). No fork: it is polled.
_running() {
  local stat
  if [ -r "/proc/$1/stat" ]; then
    read -r stat < "/proc/$1/stat" 2>/dev/null || return 1
    stat="${stat##*) }"
    [ "${stat%% *}" != "Z" ]
  else
    kill -0 "$1" 2>/dev/null
  fi
}

# Stop the guarded child: its process group, and every descendant (Jupyter kernels start their
# own session, so they are not in the group). TERM first, KILL what is left after 3 s.
_guard_stop() {
  local pid="${_GUARD_PID:-}"
  [ -n "$pid" ] || return 0
  _GUARD_PID=""
  local pids
  pids="$pid $(_descendants "$pid" | tr '\n' ' ')"
  kill -TERM -- "-$pid" 2>/dev/null || true
  # shellcheck disable=SC2086
  kill -TERM $pids 2>/dev/null || true
  local i p alive
  for i in $(seq 30); do
    alive=""
    for p in $pids; do
      if _running "$p"; then alive="$alive $p"; fi
    done
    [ -n "$alive" ] || break
    sleep 0.1
  done
  if [ -n "$alive" ]; then
    kill -KILL -- "-$pid" 2>/dev/null || true
    # shellcheck disable=SC2086
    kill -KILL $alive 2>/dev/null || true
  fi
  wait "$pid" 2>/dev/null || true
}

# run_guarded CMD ARGS...: run CMD in its own process group and wait for it; returns its exit
# status. On INT, TERM or HUP the child and all its descendants are stopped and the script exits
# with 128 + the signal number; the EXIT trap stops them too if the script ends early.
run_guarded() {
  _GUARD_PID=""
  _GUARD_NAME="${GUARD_LABEL:-$(basename "$1")}"
  # The traps first: a signal that arrives just after the child starts (a loaded machine) must
  # stop it too, not kill this script and leave the child running.
  trap '_guard_stop; trap - EXIT; echo "==> interrupted: stopped $_GUARD_NAME and its children" >&2; exit 130' INT
  trap '_guard_stop; trap - EXIT; echo "==> terminated: stopped $_GUARD_NAME and its children" >&2; exit 143' TERM
  trap '_guard_stop; trap - EXIT; exit 129' HUP
  trap '_guard_stop' EXIT
  set -m  # a background job gets its own process group (pgid = its pid)
  "$@" &
  _GUARD_PID=$!
  set +m
  local status=0
  wait "$_GUARD_PID" || status=$?
  _GUARD_PID=""
  trap - INT TERM HUP EXIT
  return "$status"
}

# --- the virtual environment -----------------------------------------------------------------

if [ "${BOOK_SKIP_SETUP:-0}" = "1" ]; then
  export PATH="$VENV/bin:$PATH"
  return 0 2>/dev/null || exit 0
fi

_venv_works() {
  [ -x "$VENV/bin/python" ] && "$VENV/bin/python" -m pip --version >/dev/null 2>&1
}

# A folder we may delete and recreate: a venv (pyvenv.cfg), or only what venv creates.
_looks_like_venv() {
  [ -f "$VENV/pyvenv.cfg" ] && return 0
  local entry
  for entry in "$VENV"/* "$VENV"/.[!.]*; do
    [ -e "$entry" ] || continue
    case "$(basename "$entry")" in bin|lib|lib64|include|share|.requirements.sha256) ;; *) return 1 ;; esac
  done
  return 0
}

if [ -e "$VENV" ] && ! _venv_works; then
  if ! _looks_like_venv; then
    echo "tools/setup_env.sh: $VENV exists, is not a working venv and does not look like one; move it away" >&2
    return 1 2>/dev/null || exit 1
  fi
  echo "==> $VENV is broken (python missing or 'python -m pip --version' fails): recreating it"
  rm -rf "$VENV"
fi

if [ ! -e "$VENV" ]; then
  echo "==> creating $VENV"
  if ! "$PYTHON" -m venv "$VENV" 2>/dev/null; then
    # Debian's own python3 ships venv separately.
    rm -rf "$VENV"
    SUDO=""; [ "$(id -u)" != "0" ] && SUDO="sudo"
    echo "==> $PYTHON has no working venv module: installing Debian's python3-venv"
    $SUDO apt-get update -qq && $SUDO apt-get install -y -qq python3-venv >/dev/null
    "$PYTHON" -m venv "$VENV"
  fi
  if ! _venv_works; then
    echo "tools/setup_env.sh: the new venv $VENV has no working pip ('$VENV/bin/python -m pip --version' fails)" >&2
    return 1 2>/dev/null || exit 1
  fi
fi

# Reinstall only when the pins changed: the stamp holds a hash of the pin files. It is removed
# before installing and written only after pip succeeded, so an interrupted or failed install
# is retried on the next run.
stamp="$VENV/.requirements.sha256"
want="$(cat requirements.txt constraints.txt pyproject.toml | sha256sum | cut -d' ' -f1)"
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  echo "==> installing Python packages (requirements.txt, constraints.txt)"
  rm -f "$stamp"
  if ! "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check -r requirements.txt -c constraints.txt; then
    echo "tools/setup_env.sh: pip install failed; $VENV is left without a stamp and will be retried" >&2
    return 1 2>/dev/null || exit 1
  fi
  echo "$want" > "$stamp"
fi
export PATH="$VENV/bin:$PATH"
