#!/usr/bin/env bash
# Create or update the project's virtual environment in .venv (sourced by build.sh and test.sh).
# Needs only Python 3.11 with venv; pins come from requirements.txt and constraints.txt.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
PYTHON="${PYTHON:-python3}"
VENV="$ROOT/.venv"

if [ ! -x "$VENV/bin/python" ]; then
  echo "==> creating $VENV"
  if ! "$PYTHON" -m venv "$VENV" 2>/dev/null; then
    # Debian's own python3 ships venv separately.
    rm -rf "$VENV"
    SUDO=""; [ "$(id -u)" != "0" ] && SUDO="sudo"
    echo "==> $PYTHON has no working venv module: installing Debian's python3-venv"
    $SUDO apt-get update -qq && $SUDO apt-get install -y -qq python3-venv >/dev/null
    "$PYTHON" -m venv "$VENV"
  fi
fi
# Reinstall only when the pins changed: the stamp holds a hash of both pin files.
stamp="$VENV/.requirements.sha256"
want="$(cat requirements.txt constraints.txt pyproject.toml | sha256sum | cut -d' ' -f1)"
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  echo "==> installing Python packages (requirements.txt, constraints.txt)"
  "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check -r requirements.txt -c constraints.txt
  echo "$want" > "$stamp"
fi
export PATH="$VENV/bin:$PATH"
